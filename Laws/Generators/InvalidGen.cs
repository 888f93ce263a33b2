using FsCheck;
using FsCheck.Fluent;
using Functional.Backends;
using Functional.Ops;

namespace Functional.Laws.Generators;

/// <summary>
/// An invalid configuration: a valid case with exactly one rule broken, the op name its error must start with,
/// and the offending number the message must quote. <see cref="Run"/> attempts the operation.
/// </summary>
public sealed record InvalidCase(string Rule, string Op, int Offending, Func<object> Run, string Base)
{
    /// <summary>E.g. <c>stride 0 along dim 1 of Conv2d(…) on 1×2×5×5</c>.</summary>
    public override string ToString() => $"{Rule} (expects {Op}, quoting {Offending}) in {Base}";
}

/// <summary>Invalid convs, transposed convs and poolings: each generated from a valid case by breaking one rule.</summary>
public static class InvalidGen
{
    /// <summary>Every kind of breakage, in roughly equal shares.</summary>
    public static Gen<InvalidCase> Any => Gen.OneOf(
        ConvGen.Any.SelectMany(c => Gen.Choose(0, 1000).Select(r => BreakConv(c, r))),
        PoolGen.Of(PoolKind.Max).SelectMany(c => Gen.Choose(0, 1000).Select(r => BreakPool(c, r))),
        TransposedCase.Arb.Generator.SelectMany(t => Gen.Choose(0, 1000).Select(r => BreakTransposed(t, r))));

    private static InvalidCase BreakConv(ConvCase c, int r)
    {
        var i = r % c.Rank;
        var op = $"Conv{c.Rank}d";
        InvalidCase Plan(string rule, int n, ConvCase bad) => new($"{rule} along dim {i}", op, n, () => bad.Spec.Plan(bad.InputShape), c.ToString());
        var bad0 = -(r % 2);
        switch (r / 3 % 9)
        {
            case 0: return Plan("kernel", bad0, c with { Kernel = ConvGen.Set(c.Kernel, i, bad0) });
            case 1: return Plan("stride", bad0, c with { Stride = ConvGen.Set(c.Stride, i, bad0) });
            case 2: return Plan("dilation", bad0, c with { Dilation = ConvGen.Set(c.Dilation, i, bad0) });
            case 3: return Plan("negative padding", -1 - r % 2, c with { Padding = Padding.Of(-1 - r % 2) });
            case 4:
            {
                // Input channels one more than a multiple of groups ≥ 2.
                var g = Math.Max(2, c.Groups);
                var bad = c with { Groups = g, InChannels = g * (c.InChannels / c.Groups) + 1, OutChannels = g * (c.OutChannels / c.Groups) };
                return new("input channels not divisible by groups", op, bad.InChannels, () => bad.Spec.Plan(bad.InputShape), c.ToString());
            }
            case 5:
            {
                var g = Math.Max(2, c.Groups);
                var bad = c with { Groups = g, InChannels = g * (c.InChannels / c.Groups), OutChannels = g * (c.OutChannels / c.Groups) + 1 };
                return new("output channels not divisible by groups", op, bad.OutChannels, () => bad.Spec.Plan(bad.InputShape), c.ToString());
            }
            case 6:
            {
                // Unpadded, and one element shorter than the dilated kernel (a kernel of at least 2 makes that ≥ 1).
                var k = Math.Max(2, c.Kernel[i]);
                var bad = c with { Padding = Padding.Valid, Kernel = ConvGen.Set(c.Kernel, i, k), Input = ConvGen.Set(c.Input, i, c.Dilation[i] * (k - 1)) };
                return Plan("input smaller than the dilated kernel", bad.Input[i], bad);
            }
            case 7:
            {
                var p = c.Input[i];
                var bad = c with { Mode = PaddingMode.Reflect, Padding = Padding.Of(Enumerable.Range(0, c.Rank).Select(j => j == i ? p : 0).ToArray()) };
                return Plan("reflect padding not smaller than the input", p, bad);
            }
            default:
            {
                // Weights with one input channel too many per group, through the forward pass itself.
                var (x, w) = (Tensor.Zeros(c.InputShape), Tensor.Zeros(c.WeightShape.With(1, c.InChannels / c.Groups + 1)));
                return new("weight with the wrong input channels", op, c.InChannels / c.Groups + 1, () => Conv.Forward(Sample(), c.Spec with { Bias = false }, x, w), c.ToString());
            }
        }
    }

    private static InvalidCase BreakPool(PoolCase c, int r)
    {
        var i = r % c.Rank;
        var op = $"MaxPool{c.Rank}d";
        InvalidCase Run(string rule, int n, PoolCase bad) =>
            new($"{rule} along dim {i}", op, n, () => MaxPool.Forward(Sample(), Tensor.Zeros(bad.InputShape), bad.Spec), c.ToString());
        switch (r / 3 % 4)
        {
            case 0: return Run("padding more than half the kernel", c.Kernel[i] / 2 + 1, c with { Padding = ConvGen.Set(c.Padding, i, c.Kernel[i] / 2 + 1) });
            case 1: return Run("kernel", 0, c with { Kernel = ConvGen.Set(c.Kernel, i, 0) });
            case 2: return Run("stride", 0, c with { Stride = ConvGen.Set(c.Stride, i, 0) });
            default:
            {
                var k = Math.Max(2, c.Kernel[i]);
                var bad = c with { Kernel = ConvGen.Set(c.Kernel, i, k), Padding = ConvGen.Set(c.Padding, i, 0), Ceil = false,
                    Input = ConvGen.Set(c.Input, i, c.Dilation[i] * (k - 1)) };
                return Run("input smaller than the dilated kernel", bad.Input[i], bad);
            }
        }
    }

    private static InvalidCase BreakTransposed(TransposedCase t, int r)
    {
        var c = t.Conv;
        var i = r % c.Rank;
        var op = $"ConvTranspose{c.Rank}d";
        var limit = Math.Max(c.Stride[i], c.Dilation[i]);
        var output = ConvGen.Set(t.OutputPadding, i, limit);
        var spec = t.Spec with { OutputPadding = [.. output] };
        if (r / 3 % 2 == 0) return new($"output padding {limit} along dim {i}", op, limit, () => spec.Plan(t.InputShape), t.ToString());
        // Input channels one more than a multiple of groups ≥ 2, output channels still divisible.
        var g = Math.Max(2, c.Groups);
        var channels = g * (c.OutChannels / c.Groups) + 1;
        var bad = t.Spec with { Groups = g, OutChannels = g * (c.InChannels / c.Groups) };
        return new("input channels not divisible by groups", op, channels, () => bad.Plan(t.InputShape.With(1, channels)), t.ToString());
    }

    private static Functional.Backends.ExecutionContext Sample() => Functional.Backends.ExecutionContext.Reference;
}
