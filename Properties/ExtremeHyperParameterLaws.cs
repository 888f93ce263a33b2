using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Ops;
using Functional.Properties.Support;
using System.Numerics;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Properties;

/// <summary>
/// Hyper-parameters anywhere up to int.MaxValue (kernel, stride, padding, dilation, output padding) and input
/// extents up to billions: planning either throws a <see cref="ShapeException"/> or returns the output size of the
/// formula evaluated in exact (big-integer) arithmetic; and when the tensors are small, the Reference and Cpu
/// backends both run the op and agree. Never a wrapped size, a crash or any other exception type.
/// </summary>
public class ExtremeHyperParameterLaws
{
    private const string Law = "ExtremeHyperParameters";

    /// <summary>One op over one N×C×spatial input: every per-dim value is drawn small or extreme.</summary>
    public sealed record ExtremeCase(string Op, int[] Input, int[] Kernel, int[] Stride, int[] Padding, int[] Dilation, int[] OutputPadding,
        bool Ceil, int Channels, long Seed)
    {
        public int Rank => Input.Length;

        public override string ToString() =>
            $"{Op}{(Ceil ? " (ceil)" : "")}: input 1×{Channels}×{string.Join("×", Input)}, kernel {L(Kernel)}, stride {L(Stride)}, " +
            $"padding {L(Padding)}, dilation {L(Dilation)}, output padding {L(OutputPadding)}, seed {Seed}";

        private static string L(int[] v) => string.Join(",", v);
    }

    // Small values mostly, so that valid small cases run on both backends; otherwise the ends of int and the
    // products that cross 2^31 (46341² and 65536·32768).
    private static Gen<int> Value(int small) => Gen.Frequency(
        (6, Gen.Choose(1, small)),
        (3, Gen.Elements(int.MaxValue, int.MaxValue - 1, 1 << 30, (1 << 30) + 1, 46341, 65536, 1 << 20, 2_000_000_000)),
        (1, Gen.Choose(1, int.MaxValue - 1)));

    private static Gen<int> Padding => Gen.Frequency((6, Gen.Choose(0, 3)), (3, Value(3)));

    private static Gen<int[]> PerDim(int rank, Gen<int> value) => Gen.ArrayOf(value, rank);

    private static Arbitrary<ExtremeCase> Cases() =>
        (from op in Gen.Elements("conv", "conv-same", "conv-depthwise", "maxpool", "avgpool", "transposed")
         from rank in Gen.Choose(1, 2)
         from input in PerDim(rank, Gen.Frequency((5, Gen.Choose(1, 9)), (1, Value(9))))
         from kernel in PerDim(rank, Value(4))
         from stride in PerDim(rank, Value(3))
         from padding in PerDim(rank, Padding)
         from dilation in PerDim(rank, Gen.Frequency((3, Gen.Constant(1)), (2, Value(3))))
         from outputPadding in PerDim(rank, Gen.Frequency((3, Gen.Constant(0)), (1, Padding)))
         from ceil in Gen.Elements(false, true)
         from channels in Gen.Choose(1, 3)
         from seed in Gen.Choose(0, 1_000_000)
         select new ExtremeCase(op, input, kernel, stride, padding, dilation, outputPadding, ceil && op.EndsWith("pool"), channels, seed))
        .ToArbitrary();

    [Property(MaxTest = 1000)]
    [Trait("Law", Law)]
    public Property Extreme_hyper_parameters_give_a_shape_exception_or_the_exact_result_on_both_backends() =>
        Prop.ForAll(Cases(), c =>
        {
            Shape output;
            try { output = Plan(c); }
            catch (ShapeException e) when (e.GetType() == typeof(ShapeException) && e.Message.Length > 0) { return; }
            catch (Exception e) { throw new LawViolation($"planning threw {e.GetType().Name} instead of ShapeException: {e.Message}"); }
            for (var d = 0; d < c.Rank; d++)
            {
                var expected = ExactOutput(c, d);
                if (expected != output[2 + d])
                    throw new LawViolation($"output along dim {d} is {output[2 + d]}; exact arithmetic gives {expected} (output {output}).");
            }
            if (Small(c, output)) RunBoth(c, output);
        });

    private static Shape Plan(ExtremeCase c)
    {
        var input = Shape.Of([1, c.Channels, .. c.Input]);
        return c.Op switch
        {
            "conv" or "conv-same" or "conv-depthwise" => ConvOf(c).Plan(input).OutputShape,
            "transposed" => new ConvTransposeSpec(c.Rank, 2, c.Kernel, c.Stride, Functional.Padding.Of(c.Padding), c.OutputPadding, c.Dilation)
                .Plan(input).OutputShape,
            _ => Pool(c).OutputShape(input, c.Op),
        };
    }

    // conv-depthwise has one group per channel, which the Cpu backend runs with its direct depthwise kernels.
    private static ConvSpec ConvOf(ExtremeCase c) => c.Op == "conv-depthwise"
        ? new ConvSpec(c.Rank, c.Channels, c.Kernel, c.Stride, Functional.Padding.Of(c.Padding), c.Dilation, groups: c.Channels)
        : new ConvSpec(c.Rank, 2, c.Kernel, c.Stride, c.Op == "conv-same" ? Functional.Padding.Same : Functional.Padding.Of(c.Padding), c.Dilation);

    private static PoolSpec Pool(ExtremeCase c) => new(c.Rank, c.Kernel, c.Stride, c.Padding, c.Dilation, c.Ceil);

    // The formulas of docs/design.md in big integers, so nothing can wrap.
    private static BigInteger ExactOutput(ExtremeCase c, int d)
    {
        BigInteger i = c.Input[d], k = c.Kernel[d], s = c.Stride[d], p = c.Padding[d], dil = c.Dilation[d];
        switch (c.Op)
        {
            case "transposed":
                return (i - 1) * s - 2 * p + dil * (k - 1) + c.OutputPadding[d] + 1;
            case "conv-same":
                var total = BigInteger.Max((Ceil(i, s) - 1) * s + dil * (k - 1) + 1 - i, 0);
                return Floor(i + total - dil * (k - 1) - 1, s) + 1;
            default:
                var span = i + 2 * p - dil * (k - 1) - 1;
                if (!c.Ceil) return Floor(span, s) + 1;
                var o = Ceil(span, s) + 1;
                return (o - 1) * s >= i + p ? o - 1 : o;
        }
    }

    private static BigInteger Floor(BigInteger a, BigInteger b) => BigInteger.DivRem(a, b, out var r) - (r < 0 ? 1 : 0);

    private static BigInteger Ceil(BigInteger a, BigInteger b) => -Floor(-a, b);

    // Small enough to run on the Reference backend in a moment: few elements and few taps per output.
    private static bool Small(ExtremeCase c, Shape output)
    {
        long taps = 1, inputCount = c.Channels;
        for (var d = 0; d < c.Rank; d++) { taps *= c.Kernel[d]; inputCount *= c.Input[d]; if (taps > 4096 || inputCount > 4096) return false; }
        return output.Count <= 4096 && output.Count * taps * c.Channels <= 1 << 20;
    }

    private static void RunBoth(ExtremeCase c, Shape output)
    {
        var x = Sample.IntTensor(Shape.Of([1, c.Channels, .. c.Input]), c.Seed);
        float[] Run(ExecutionContext ctx)
        {
            try
            {
                return c.Op switch
                {
                    "conv" or "conv-same" or "conv-depthwise" or "transposed" => RunConv(ctx, c, x),
                    "maxpool" => MaxPool.Forward(ctx, x, Pool(c)).Output.ToArray(),
                    _ => AvgPool.Forward(ctx, x, Pool(c)).ToArray(),
                };
            }
            catch (Exception e)
            {
                throw new LawViolation($"planning gave {output}, but the {ctx.Backend.Name} backend threw {e.GetType().Name}: {e.Message}");
            }
        }
        var (reference, cpu) = (Run(ExecutionContext.Reference), Run(Cpu));
        // Integer inputs and weights keep every sum exact, so the two backends agree bit for bit.
        Expect.Close($"cpu against reference, output {output}", cpu.Select(v => (double)v).ToArray(), reference.Select(v => (double)v).ToArray());
    }

    private static float[] RunConv(ExecutionContext ctx, ExtremeCase c, Tensor x)
    {
        if (c.Op == "transposed")
        {
            var spec = new ConvTransposeSpec(c.Rank, 2, c.Kernel, c.Stride, Functional.Padding.Of(c.Padding), c.OutputPadding, c.Dilation);
            var plan = spec.Plan(x.Shape);
            return ConvTranspose.Forward(ctx, spec, x, Sample.IntTensor(plan.WeightShape, c.Seed + 1), Sample.IntTensor(plan.BiasShape!, c.Seed + 2)).ToArray();
        }
        var conv = ConvOf(c);
        var p = conv.Plan(x.Shape);
        return Conv.Forward(ctx, conv, x, Sample.IntTensor(p.WeightShape, c.Seed + 1), Sample.IntTensor(p.BiasShape!, c.Seed + 2)).ToArray();
    }

    private static readonly ExecutionContext Cpu = ExecutionContext.Cpu(2);
}
