namespace Functional.Laws.Generators;

/// <summary>
/// One convolution to test: its hyper-parameters, an input shape they fit, and a seed for the tensors. Arrays
/// hold one value per spatial dim, outermost first. <see cref="ToString"/> is what a failing property prints.
/// </summary>
public sealed record ConvCase(int Rank, int Batch, int InChannels, int OutChannels, int Groups, int[] Input, int[] Kernel,
    int[] Stride, Padding Padding, int[] Dilation, PaddingMode Mode, bool Bias, long Seed)
{
    /// <summary>The spec under test.</summary>
    public ConvSpec Spec => new(Rank, OutChannels, Kernel, Stride, Padding, Dilation, Groups, Bias, Mode);

    /// <summary>N×C_in×spatial.</summary>
    public Shape InputShape => Shape.Of([Batch, InChannels, .. Input]);

    /// <summary>C_out × C_in/groups × kernel.</summary>
    public Shape WeightShape => Shape.Of([OutChannels, InChannels / Groups, .. Kernel]);

    /// <summary>(before, after) padding of dim <paramref name="i"/>, resolved here from the formulas, not by the library.</summary>
    public (int Before, int After) Pad(int i)
    {
        var (k, s, d, n) = (Kernel[i], Stride[i], Dilation[i], Input[i]);
        switch (Padding.Kind)
        {
            case PaddingKind.Valid: return (0, 0);
            case PaddingKind.Full: return (d * (k - 1), d * (k - 1));
            case PaddingKind.Same:
                var total = Math.Max(((n + s - 1) / s - 1) * s + d * (k - 1) + 1 - n, 0);
                return (total / 2, total - total / 2);
            default:
                var a = Padding.Amounts!;
                var p = a.Count == 1 ? a[0] : a[i];
                return (p, p);
        }
    }

    /// <summary>o = ⌊(i + p₀ + p₁ − d(k−1) − 1)/s⌋ + 1 for dim <paramref name="i"/> (negative numerators floor correctly).</summary>
    public int Out(int i)
    {
        var (p0, p1) = Pad(i);
        var span = Input[i] + p0 + p1 - Dilation[i] * (Kernel[i] - 1) - 1;
        return (int)Math.Floor(span / (double)Stride[i]) + 1;
    }

    /// <summary>N×C_out×o… from the formula.</summary>
    public Shape ExpectedOutput => Shape.Of([Batch, OutChannels, .. Enumerable.Range(0, Rank).Select(Out)]);

    /// <summary>Valid by the rules of the design notes, checked without the library.</summary>
    public bool IsValid =>
        Rank is >= 1 and <= 3 && Batch >= 1 && Groups >= 1 && InChannels >= 1 && OutChannels >= 1 &&
        InChannels % Groups == 0 && OutChannels % Groups == 0 &&
        Enumerable.Range(0, Rank).All(i =>
            Kernel[i] >= 1 && Stride[i] >= 1 && Dilation[i] >= 1 && Input[i] >= 1 && Pad(i) is var (p0, p1) && p0 >= 0 && Out(i) >= 1 &&
            (Mode != PaddingMode.Reflect || Math.Max(p0, p1) < Input[i]) && (Mode != PaddingMode.Circular || Math.Max(p0, p1) <= Input[i]));

    /// <summary>E.g. <c>Conv2d(4, kernel 3×3, stride 2×2, …) on 1×2×7×7, seed 12</c>.</summary>
    public override string ToString() => $"{Spec} on {InputShape}, seed {Seed}";
}
