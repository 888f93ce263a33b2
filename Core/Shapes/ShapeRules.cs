namespace Functional;

/// <summary>
/// The pure shape algebra of convolution and pooling, per spatial dimension. Every rule is a formula from the
/// design notes; every violation throws <see cref="ShapeException"/> quoting the numbers. The arithmetic runs in
/// 64 bits (every intermediate of int inputs fits), so a huge kernel, stride, padding or dilation never wraps:
/// a result outside the 32-bit range is itself an error that quotes the true number.
/// </summary>
public static partial class ShapeRules
{
    /// <summary>Conv/pool output size o = ⌊(i + 2p − d(k−1) − 1)/s⌋ + 1 (may be ≤ 0 for impossible settings).</summary>
    /// <exception cref="ShapeException">The true size does not fit in an <c>int</c>.</exception>
    public static int ConvOutputSize(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1) =>
        ConvOutputSize(input, kernel, stride, padding, padding, dilation);

    /// <summary>The output size with asymmetric padding: o = ⌊(i + p₀ + p₁ − d(k−1) − 1)/s⌋ + 1.</summary>
    /// <exception cref="ShapeException">The true size does not fit in an <c>int</c>.</exception>
    public static int ConvOutputSize(int input, int kernel, int stride, int padBefore, int padAfter, int dilation) =>
        Fit(ConvOutputSize64(input, kernel, stride, padBefore, padAfter, dilation),
            () => ConvFormula(input, kernel, stride, padBefore, padAfter, dilation));

    // |i + p₀ + p₁ − d(k−1) − 1| < 2^63 for any int arguments, so the long never wraps.
    internal static long ConvOutputSize64(long input, long kernel, long stride, long padBefore, long padAfter, long dilation) =>
        FloorDiv(input + padBefore + padAfter - dilation * (kernel - 1) - 1, stride) + 1;

    /// <summary>
    /// Pooling output size. Floor mode is the conv formula. Ceil mode, as PyTorch: o = ⌈(i + 2p − d(k−1) − 1)/s⌉ + 1,
    /// minus 1 if (o−1)·s ≥ i + p, because the last window must start inside the input or the left padding.
    /// </summary>
    /// <exception cref="ShapeException">The true size does not fit in an <c>int</c>.</exception>
    public static int PoolOutputSize(int input, int kernel, int stride, int padding, int dilation, bool ceilMode) =>
        Fit(PoolOutputSize64(input, kernel, stride, padding, dilation, ceilMode),
            () => PoolFormula(input, kernel, stride, padding, dilation, ceilMode));

    internal static long PoolOutputSize64(long input, long kernel, long stride, long padding, long dilation, bool ceilMode)
    {
        var span = input + 2 * padding - dilation * (kernel - 1) - 1;
        if (!ceilMode) return FloorDiv(span, stride) + 1;
        var o = CeilDiv(span, stride) + 1;
        // (o − 1)·s ≤ span + s < 2^35: no overflow.
        if ((o - 1) * stride >= input + padding) o--;
        return o;
    }

    /// <summary>Transposed conv output size o = (i−1)s − 2p + d(k−1) + output_padding + 1.</summary>
    /// <exception cref="ShapeException">The true size does not fit in an <c>int</c>.</exception>
    public static int TransposedOutputSize(int input, int kernel, int stride, int padding, int dilation, int outputPadding) =>
        Fit(TransposedOutputSize64(input, kernel, stride, padding, dilation, outputPadding),
            () => TransposedFormula(input, kernel, stride, padding, dilation, outputPadding));

    // Both products are below 2^62 for int arguments, so the sum stays below 2^63.
    internal static long TransposedOutputSize64(long input, long kernel, long stride, long padding, long dilation, long outputPadding) =>
        (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;

    /// <summary>
    /// <c>Same</c> padding for any stride: total = max((⌈i/s⌉−1)s + d(k−1) + 1 − i, 0), split with the extra
    /// element on the far side, so the output size is ⌈i/s⌉.
    /// </summary>
    /// <exception cref="ShapeException">The padding does not fit in an <c>int</c> (a huge dilated kernel).</exception>
    public static (int Before, int After) SamePadding(int input, int kernel, int stride, int dilation)
    {
        var (before, after) = SamePadding64(input, kernel, stride, dilation);
        return (Fit(before, () => $"Same padding before = {before}"), Fit(after, () => $"Same padding after = {after}"));
    }

    internal static (long Before, long After) SamePadding64(long input, long kernel, long stride, long dilation)
    {
        var total = Math.Max((CeilDiv(input, stride) - 1) * stride + dilation * (kernel - 1) + 1 - input, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary><c>Full</c> padding p = d(k−1) on both sides.</summary>
    /// <exception cref="ShapeException">The padding does not fit in an <c>int</c>.</exception>
    public static int FullPadding(int kernel, int dilation) =>
        Fit((long)dilation * ((long)kernel - 1), () => $"Full padding p = {dilation}·({kernel}−1) = {(long)dilation * ((long)kernel - 1)}");

    /// <summary>Resolves a <see cref="Padding"/> for one spatial dim into (before, after) amounts.</summary>
    public static (int Before, int After) Resolve(Padding padding, int dim, int rank, int input, int kernel, int stride, int dilation, string where)
    {
        switch (padding.Kind)
        {
            case PaddingKind.Same:
                var (b, a) = SamePadding64(input, kernel, stride, dilation);
                var name = DimName(dim, rank);
                return (FitPadding(where, name, "Same", b, $"the dilated kernel {DilatedKernel(kernel, dilation)}"), FitPadding(where, name, "Same", a, ""));
            case PaddingKind.Valid: return (0, 0);
            case PaddingKind.Full:
                var f = FitPadding(where, DimName(dim, rank), "Full", (long)dilation * ((long)kernel - 1), $"p = d(k−1) = {dilation}·({kernel}−1)");
                return (f, f);
            default:
                var p = padding.Amount(dim, rank, where);
                if (p < 0) throw new ShapeException($"{where}: padding {p} is negative; padding must be ≥ 0.");
                return (p, p);
        }
    }

    /// <summary>Parameters of a conv: C_out·(C_in/groups·∏k) + C_out if it has a bias.</summary>
    /// <exception cref="ShapeException">The count does not fit in a <c>long</c> (three huge kernel extents).</exception>
    public static long ConvParameterCount(int outChannels, int inChannels, int groups, ReadOnlySpan<int> kernel, bool bias)
    {
        try
        {
            checked
            {
                long k = 1;
                foreach (var e in kernel) k *= e;
                return (long)outChannels * (inChannels / groups) * k + (bias ? outChannels : 0);
            }
        }
        catch (OverflowException)
        {
            throw new ShapeException(
                $"Parameter count {outChannels}·({inChannels}/{groups}·{Dims(kernel).Replace('×', '·')}) exceeds {long.MaxValue:N0}.");
        }
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
        var lastRead = (long)(output - 1) * stride - padBefore + (long)dilation * ((long)kernel - 1);
        return (int)Math.Max(0, input - 1 - lastRead);
    }

    /// <summary>The output formula with numbers, e.g. <c>o = ⌊(3+2·0−1·(5−1)−1)/1⌋+1 = −1</c>.</summary>
    public static string ConvFormula(int input, int kernel, int stride, int padBefore, int padAfter, int dilation)
    {
        var o = ConvOutputSize64(input, kernel, stride, padBefore, padAfter, dilation);
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
        var o = CeilDiv(input + 2L * padding - (long)dilation * ((long)kernel - 1) - 1, stride) + 1;
        var text = $"o = ⌈({input}+2·{padding}−{dilation}·({kernel}−1)−1)/{stride}⌉+1 = {Signed(o)}";
        return (o - 1) * stride >= (long)input + padding
            ? $"{text}, −1 because the last window would start at ({Signed(o)}−1)·{stride} = {Signed((o - 1) * stride)} ≥ i+p = {(long)input + padding}, so o = {Signed(o - 1)}"
            : text;
    }

    /// <summary>The transposed-conv formula with numbers.</summary>
    public static string TransposedFormula(int input, int kernel, int stride, int padding, int dilation, int outputPadding) =>
        $"o = ({input}−1)·{stride} − 2·{padding} + {dilation}·({kernel}−1) + {outputPadding} + 1 = " +
        Signed(TransposedOutputSize64(input, kernel, stride, padding, dilation, outputPadding));

    /// <summary>⌊a/b⌋ for positive b, correct for negative a (C#'s / truncates toward zero); exact for every int.</summary>
    public static int FloorDiv(int a, int b) => (int)FloorDiv((long)a, b);

    /// <summary>⌈a/b⌉ for positive b; exact for every int.</summary>
    public static int CeilDiv(int a, int b) => (int)CeilDiv((long)a, b);

    /// <summary>⌊a/b⌋ for positive b; exact for |a| &lt; 2^62.</summary>
    public static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>⌈a/b⌉ for positive b; exact for |a| &lt; 2^62.</summary>
    public static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    internal static string Signed(long v) => v < 0 ? $"−{-v}" : v.ToString();

    /// <summary>The largest extent of one dimension, and of one tensor's element count.</summary>
    internal const int MaxExtent = int.MaxValue;

    // A size computed in 64 bits, narrowed only when it fits; otherwise the error quotes the true formula.
    private static int Fit(long value, Func<string> formula) => value is >= int.MinValue and <= int.MaxValue
        ? (int)value
        : throw new ShapeException($"{formula()} does not fit in 32 bits: a dimension holds at most {MaxExtent:N0} elements.");

    private static int FitPadding(string where, string dim, string kind, long amount, string why) => amount <= MaxExtent
        ? (int)amount
        : throw new ShapeException(
            $"{where}: {kind} padding along {dim} would be {amount}{(why.Length > 0 ? $" ({why})" : "")}, more than the {MaxExtent:N0} a dimension can hold.");

    private static string DimName(int dim, int rank) => rank is >= 1 and <= 3 && dim >= 0 && dim < rank
        ? ConvSpec.SpatialNames(rank).Split('×')[dim]
        : $"dim {dim}";

    internal static string Dims(ReadOnlySpan<int> d) => string.Join("×", d.ToArray());
}
