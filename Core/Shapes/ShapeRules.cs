namespace Functional;

/// <summary>
/// The pure shape algebra of convolution and pooling, per spatial dimension. Every rule is a formula from the
/// design notes; every violation throws <see cref="ShapeException"/> quoting the numbers.
/// </summary>
public static partial class ShapeRules
{
    /// <summary>Conv/pool output size o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 (may be ≤ 0 for impossible settings).</summary>
    public static int ConvOutputSize(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1) =>
        ConvOutputSize(input, kernel, stride, padding, padding, dilation);

    /// <summary>The output size with asymmetric padding: o = ⌊(i + p₀ + p₁ − d(k−1) − 1)/s⌋ + 1.</summary>
    public static int ConvOutputSize(int input, int kernel, int stride, int padBefore, int padAfter, int dilation) =>
        FloorDiv(input + padBefore + padAfter - dilation * (kernel - 1) - 1, stride) + 1;

    /// <summary>
    /// Pooling output size. Floor mode is the conv formula. Ceil mode, as PyTorch: o = ⌈(i + 2p − d(k−1) − 1)/s⌉ + 1,
    /// minus 1 if (o−1)·s ≥ i + p, because the last window must start inside the input or the left padding.
    /// </summary>
    public static int PoolOutputSize(int input, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        var span = input + 2 * padding - dilation * (kernel - 1) - 1;
        if (!ceilMode) return FloorDiv(span, stride) + 1;
        var o = CeilDiv(span, stride) + 1;
        if ((o - 1) * stride >= input + padding) o--;
        return o;
    }

    /// <summary>Transposed conv output size o = (i−1)s − 2p + d(k−1) + output_padding + 1.</summary>
    public static int TransposedOutputSize(int input, int kernel, int stride, int padding, int dilation, int outputPadding) =>
        (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;

    /// <summary>
    /// <c>Same</c> padding for any stride: total = max((⌈i/s⌉−1)s + d(k−1) + 1 − i, 0), split with the extra
    /// element on the far side, so the output size is ⌈i/s⌉.
    /// </summary>
    public static (int Before, int After) SamePadding(int input, int kernel, int stride, int dilation)
    {
        var total = Math.Max((CeilDiv(input, stride) - 1) * stride + dilation * (kernel - 1) + 1 - input, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary><c>Full</c> padding p = d(k−1) on both sides.</summary>
    public static int FullPadding(int kernel, int dilation) => dilation * (kernel - 1);

    /// <summary>Resolves a <see cref="Padding"/> for one spatial dim into (before, after) amounts.</summary>
    public static (int Before, int After) Resolve(Padding padding, int dim, int rank, int input, int kernel, int stride, int dilation, string where)
    {
        switch (padding.Kind)
        {
            case PaddingKind.Same: return SamePadding(input, kernel, stride, dilation);
            case PaddingKind.Valid: return (0, 0);
            case PaddingKind.Full: var f = FullPadding(kernel, dilation); return (f, f);
            default:
                var p = padding.Amount(dim, rank, where);
                if (p < 0) throw new ShapeException($"{where}: padding {p} is negative; padding must be ≥ 0.");
                return (p, p);
        }
    }

    /// <summary>Parameters of a conv: C_out·(C_in/groups·∏k) + C_out if it has a bias.</summary>
    public static long ConvParameterCount(int outChannels, int inChannels, int groups, ReadOnlySpan<int> kernel, bool bias)
    {
        long k = 1;
        foreach (var e in kernel) k *= e;
        return (long)outChannels * (inChannels / groups) * k + (bias ? outChannels : 0);
    }

    /// <summary>
    /// How many trailing input positions (rows or columns) no window ever reads: the notes' "invalid stride".
    /// The floor in the output formula drops them silently; a summary should warn. Zero when every input
    /// position is covered by some window.
    /// </summary>
    public static int UnreadTrailing(int input, int kernel, int stride, int padBefore, int dilation, int output)
    {
        if (output <= 0) return input;
        // Last input index (in unpadded coordinates) touched by the last window.
        var lastRead = (output - 1) * stride - padBefore + dilation * (kernel - 1);
        return Math.Max(0, input - 1 - lastRead);
    }

    /// <summary>The output formula with numbers, e.g. <c>o = ⌊(3+2·0−1·(5−1)−1)/1⌋+1 = −1</c>.</summary>
    public static string ConvFormula(int input, int kernel, int stride, int padBefore, int padAfter, int dilation)
    {
        var o = ConvOutputSize(input, kernel, stride, padBefore, padAfter, dilation);
        var pad = padBefore == padAfter ? $"2·{padBefore}" : $"{padBefore}+{padAfter}";
        return $"o = ⌊({input}+{pad}−{dilation}·({kernel}−1)−1)/{stride}⌋+1 = {Signed(o)}";
    }

    /// <summary>
    /// The pooling formula with numbers; in ceil mode, e.g. <c>o = ⌈(6+2·0−1·(3−1)−1)/2⌉+1 = 3</c>, with PyTorch's
    /// correction spelled out when the last window would start past the input and left padding.
    /// </summary>
    public static string PoolFormula(int input, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        if (!ceilMode) return ConvFormula(input, kernel, stride, padding, padding, dilation);
        var o = CeilDiv(input + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
        var text = $"o = ⌈({input}+2·{padding}−{dilation}·({kernel}−1)−1)/{stride}⌉+1 = {Signed(o)}";
        return (o - 1) * stride >= input + padding
            ? $"{text}, −1 because the last window would start at ({Signed(o)}−1)·{stride} = {Signed((o - 1) * stride)} ≥ i+p = {input + padding}, so o = {Signed(o - 1)}"
            : text;
    }

    /// <summary>The transposed-conv formula with numbers.</summary>
    public static string TransposedFormula(int input, int kernel, int stride, int padding, int dilation, int outputPadding) =>
        $"o = ({input}−1)·{stride} − 2·{padding} + {dilation}·({kernel}−1) + {outputPadding} + 1 = " +
        Signed(TransposedOutputSize(input, kernel, stride, padding, dilation, outputPadding));

    /// <summary>⌊a/b⌋ for positive b, correct for negative a (C#'s / truncates toward zero).</summary>
    public static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>⌈a/b⌉ for positive b.</summary>
    public static int CeilDiv(int a, int b) => -FloorDiv(-a, b);

    internal static string Signed(int v) => v < 0 ? $"−{-v}" : v.ToString();

    internal static string Dims(ReadOnlySpan<int> d) => string.Join("×", d.ToArray());
}
