using FsCheck;
using FsCheck.Fluent;
using Functional.Backends;

namespace Functional.Laws.Generators;

/// <summary>One max or average pooling to test, with an input shape it fits and a seed for the tensors.</summary>
public sealed record PoolCase(PoolKind Kind, int Rank, int Batch, int Channels, int[] Input, int[] Kernel, int[] Stride,
    int[] Padding, int[] Dilation, bool Ceil, bool IncludePad, long Seed)
{
    /// <summary>The spec under test.</summary>
    public PoolSpec Spec => new(Rank, Kernel, Stride, Padding, Dilation, Ceil, IncludePad);

    /// <summary>N×C×spatial.</summary>
    public Shape InputShape => Shape.Of([Batch, Channels, .. Input]);

    /// <summary>Floor mode: ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1; ceil mode: ⌈…⌉ + 1, minus one if the last window starts past i + p.</summary>
    public int Out(int i)
    {
        var span = Input[i] + 2 * Padding[i] - Dilation[i] * (Kernel[i] - 1) - 1;
        if (!Ceil) return (int)Math.Floor(span / (double)Stride[i]) + 1;
        var o = (int)Math.Ceiling(span / (double)Stride[i]) + 1;
        return (o - 1) * Stride[i] >= Input[i] + Padding[i] ? o - 1 : o;
    }

    /// <summary>N×C×o… from the formula.</summary>
    public Shape ExpectedOutput => Shape.Of([Batch, Channels, .. Enumerable.Range(0, Rank).Select(Out)]);

    /// <summary>Positive sizes, p ≤ ⌊k/2⌋, and every window covering at least one input element.</summary>
    public bool IsValid => Enumerable.Range(0, Rank).All(i =>
        Kernel[i] >= 1 && Stride[i] >= 1 && Dilation[i] >= 1 && Padding[i] >= 0 && Padding[i] <= Kernel[i] / 2 && Out(i) >= 1 &&
        Enumerable.Range(0, Out(i)).All(o => Enumerable.Range(0, Kernel[i]).Any(t =>
            o * Stride[i] - Padding[i] + t * Dilation[i] is var at && at >= 0 && at < Input[i])));

    /// <summary>E.g. <c>MaxPool2d(kernel 2×2, …) on 1×2×6×6, seed 4</c>.</summary>
    public override string ToString() => $"{(Kind == PoolKind.Max ? "Max" : "Avg")}Pool{Rank}d({Spec}) on {InputShape}, seed {Seed}";
}

/// <summary>Valid poolings of rank 1–3; stride &gt; 1 in about half the cases, dilation &gt; 1 in about a third.</summary>
public static class PoolGen
{
    /// <summary>Valid poolings of the given kind.</summary>
    public static Gen<PoolCase> Of(PoolKind kind) =>
        from rank in Gen.Frequency((2, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)))
        from batch in Gen.Choose(1, 2)
        from channels in Gen.Choose(1, 2)
        from dims in Gen.ArrayOf(Dim(rank, kind), rank)
        from ceil in Gen.Elements(false, true)
        from include in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        let c = new PoolCase(kind, rank, batch, channels, dims.Select(d => d.I).ToArray(), dims.Select(d => d.K).ToArray(),
            dims.Select(d => d.S).ToArray(), dims.Select(d => d.P).ToArray(), dims.Select(d => d.D).ToArray(), ceil, include, seed)
        where c.IsValid
        select c;

    // Average pooling stays undilated, as in PyTorch (AvgPool has no dilation).
    private static Gen<(int I, int K, int S, int P, int D)> Dim(int rank, PoolKind kind) =>
        from k in Gen.Choose(1, rank == 3 ? 2 : 3)
        from s in Gen.Choose(1, 3)
        from p in Gen.Choose(0, k / 2)
        from d in kind == PoolKind.Max ? Gen.Frequency((2, Gen.Constant(1)), (1, Gen.Constant(2))) : Gen.Constant(1)
        from extra in Gen.Choose(0, rank == 3 ? 2 : 5)
        select (d * (k - 1) + 1 + extra, k, s, p, d);

    /// <summary>An arbitrary whose shrinks stay valid.</summary>
    public static Arbitrary<PoolCase> Arb(Gen<PoolCase> gen) => FsCheck.Fluent.Arb.From(gen, c => Shrinks(c).Where(s => s.IsValid));

    private static IEnumerable<PoolCase> Shrinks(PoolCase c)
    {
        if (c.Batch > 1) yield return c with { Batch = 1 };
        if (c.Channels > 1) yield return c with { Channels = 1 };
        if (c.Ceil) yield return c with { Ceil = false };
        for (var i = 0; i < c.Rank; i++)
        {
            if (c.Padding[i] > 0) yield return c with { Padding = ConvGen.Set(c.Padding, i, 0) };
            if (c.Stride[i] > 1) yield return c with { Stride = ConvGen.Set(c.Stride, i, 1) };
            if (c.Dilation[i] > 1) yield return c with { Dilation = ConvGen.Set(c.Dilation, i, 1) };
            if (c.Input[i] > 1) yield return c with { Input = ConvGen.Set(c.Input, i, c.Input[i] - 1) };
        }
    }
}
