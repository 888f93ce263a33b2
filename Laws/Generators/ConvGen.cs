using FsCheck;
using FsCheck.Fluent;

namespace Functional.Laws.Generators;

/// <summary>
/// Valid convolutions, small enough to run thousands of times. Stride, dilation and groups above 1 each come up
/// in about 40% of cases (measured by <c>GeneratorLaws</c>), so no law is checked only on the easy corner.
/// Shrinking simplifies one hyper-parameter at a time and keeps only candidates that stay valid (and satisfy the
/// law's own restriction), so a counterexample ends up small and still legal.
/// </summary>
public static class ConvGen
{
    /// <summary>Any valid conv: rank 1–3, any padding kind and mode, groups, bias or not.</summary>
    public static Gen<ConvCase> Any => Build(Gen.Frequency((2, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3))),
        Gen.Frequency((5, Gen.Constant(PaddingMode.Zeros)), (1, Gen.Constant(PaddingMode.Reflect)),
            (1, Gen.Constant(PaddingMode.Replicate)), (1, Gen.Constant(PaddingMode.Circular))));

    /// <summary>Zero-padded convs only (the seam's own padding), as the duality formulas are stated for them.</summary>
    public static Gen<ConvCase> ZeroPadded => Build(Gen.Elements(1, 2, 3), Gen.Constant(PaddingMode.Zeros));

    /// <summary>An arbitrary over <paramref name="gen"/> whose shrinks stay valid and satisfy <paramref name="keep"/>.</summary>
    public static Arbitrary<ConvCase> Arb(Gen<ConvCase> gen, Func<ConvCase, bool>? keep = null) =>
        FsCheck.Fluent.Arb.From(gen, c => Shrinks(c).Where(s => s.IsValid && (keep?.Invoke(s) ?? true)));

    private static Gen<ConvCase> Build(Gen<int> ranks, Gen<PaddingMode> modes) =>
        from rank in ranks
        from groups in Gen.Frequency((3, Gen.Constant(1)), (1, Gen.Constant(2)), (1, Gen.Constant(3)))
        from inPer in Gen.Choose(1, 2)
        from outPer in Gen.Choose(1, 2)
        from batch in Gen.Choose(1, 2)
        from dims in Gen.ArrayOf(Dim(rank), rank)
        from padding in Gen.Frequency((5, Gen.Choose(0, 2).Select(p => Padding.Of(p))), (2, Gen.Constant(Padding.Same)),
            (1, Gen.Constant(Padding.Valid)), (1, Gen.Constant(Padding.Full)))
        from mode in modes
        from bias in Gen.Elements(true, false)
        from seed in Gen.Choose(0, int.MaxValue)
        let c = new ConvCase(rank, batch, inPer * groups, outPer * groups, groups, dims.Select(d => d.Input).ToArray(),
            dims.Select(d => d.Kernel).ToArray(), dims.Select(d => d.Stride).ToArray(), padding,
            dims.Select(d => d.Dilation).ToArray(), mode, bias, seed)
        where c.IsValid
        select c;

    // One spatial dim; the input is at least the dilated kernel, so most cases are valid before padding.
    private static Gen<(int Input, int Kernel, int Stride, int Dilation)> Dim(int rank) =>
        from k in Gen.Choose(1, rank == 3 ? 2 : 3)
        from s in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Choose(2, 3)))
        from d in Gen.Frequency((3, Gen.Constant(1)), (2, Gen.Constant(2)))
        from extra in Gen.Choose(0, rank == 3 ? 2 : 4)
        select (d * (k - 1) + 1 + extra, k, s, d);

    /// <summary>Simpler neighbours of a case, one change each.</summary>
    public static IEnumerable<ConvCase> Shrinks(ConvCase c)
    {
        if (c.Batch > 1) yield return c with { Batch = 1 };
        if (c.Groups > 1) yield return c with { Groups = 1, InChannels = c.InChannels / c.Groups, OutChannels = c.OutChannels / c.Groups };
        if (c.InChannels > c.Groups) yield return c with { InChannels = c.Groups };
        if (c.OutChannels > c.Groups) yield return c with { OutChannels = c.Groups };
        if (c.Mode != PaddingMode.Zeros) yield return c with { Mode = PaddingMode.Zeros };
        if (c.Padding.Kind != PaddingKind.Valid) yield return c with { Padding = Padding.Valid };
        if (c.Bias) yield return c with { Bias = false };
        for (var i = 0; i < c.Rank; i++)
        {
            if (c.Stride[i] > 1) yield return c with { Stride = Set(c.Stride, i, 1) };
            if (c.Dilation[i] > 1) yield return c with { Dilation = Set(c.Dilation, i, 1) };
            if (c.Kernel[i] > 1) yield return c with { Kernel = Set(c.Kernel, i, c.Kernel[i] - 1) };
            if (c.Input[i] > 1) yield return c with { Input = Set(c.Input, i, c.Input[i] - 1) };
        }
    }

    internal static int[] Set(int[] a, int i, int v)
    {
        var b = (int[])a.Clone();
        b[i] = v;
        return b;
    }
}
