namespace Functional;

/// <summary>
/// Validation of hyper-parameters, one spatial dimension at a time. Each check throws a
/// <see cref="ShapeException"/> whose message starts with <c>where</c> (e.g. <c>Conv2d 'conv2'</c>), names the
/// dimension (e.g. <c>H</c>), and quotes the numbers and the rule that was broken.
/// </summary>
public static partial class ShapeRules
{
    /// <summary>
    /// Checks one spatial dim of a convolution: kernel, stride and dilation ≥ 1, padding ≥ 0, and an output of at
    /// least one element, i.e. the padded input is at least as large as the dilated kernel d(k−1)+1.
    /// </summary>
    /// <param name="where">The operation and layer name that starts the message, e.g. <c>Conv2d 'conv2'</c>.</param>
    /// <param name="dim">The dimension's name, e.g. <c>H</c>.</param>
    public static void CheckConvDim(string where, string dim, int input, int kernel, int stride, int padBefore, int padAfter, int dilation)
    {
        CheckWindow(where, dim, kernel, stride, dilation);
        CheckPadding(where, dim, padBefore);
        CheckPadding(where, dim, padAfter);
        var o = ConvOutputSize64(input, kernel, stride, padBefore, padAfter, dilation);
        var padded = padBefore == padAfter ? $"{input}+2·{padBefore}" : $"{input}+{padBefore}+{padAfter}";
        if (o > MaxExtent)
            throw new ShapeException(
                $"{where}: output along {dim} would be {o} ({ConvFormula(input, kernel, stride, padBefore, padAfter, dilation)}), " +
                $"more than the {MaxExtent:N0} elements a dimension can hold.");
        if (o >= 1)
        {
            CheckReach(where, dim, o, kernel, stride, dilation, (long)input + padBefore + padAfter, $"the padded input {padded}");
            return;
        }
        throw new ShapeException(
            $"{where}: input {input} along {dim} (padded: {padded} = {(long)input + padBefore + padAfter}) is smaller than the " +
            $"dilated kernel {DilatedKernel(kernel, dilation)} ({ConvFormula(input, kernel, stride, padBefore, padAfter, dilation)}).");
    }

    /// <summary>
    /// Checks channel counts against groups: groups ≥ 1, and both channel counts ≥ 1 and divisible by groups
    /// (each group maps C_in/groups input channels to C_out/groups output channels).
    /// </summary>
    public static void CheckChannels(string where, int inChannels, int outChannels, int groups)
    {
        if (groups < 1)
            throw new ShapeException($"{where}: groups {groups} must be ≥ 1.");
        if (inChannels < 1)
            throw new ShapeException($"{where}: {inChannels} input channels; a convolution needs at least 1.");
        if (outChannels < 1)
            throw new ShapeException($"{where}: {outChannels} output channels; a convolution needs at least 1.");
        if (inChannels % groups != 0)
            throw new ShapeException(
                $"{where}: {inChannels} input channels are not divisible by groups {groups} ({inChannels} mod {groups} = {inChannels % groups}); " +
                "every group must see the same number of input channels.");
        if (outChannels % groups != 0)
            throw new ShapeException(
                $"{where}: {outChannels} output channels are not divisible by groups {groups} ({outChannels} mod {groups} = {outChannels % groups}); " +
                "every group must produce the same number of output channels.");
    }

    /// <summary>
    /// Checks one spatial dim of a pooling: as <see cref="CheckConvDim"/>, plus PyTorch's rule that padding is at
    /// most half the kernel (p ≤ ⌊k/2⌋), so every window overlaps the input; the output (in the given ceil mode)
    /// must have at least one element.
    /// </summary>
    public static void CheckPoolDim(string where, string dim, int input, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        CheckWindow(where, dim, kernel, stride, dilation);
        CheckPadding(where, dim, padding);
        if (padding > kernel / 2)
            throw new ShapeException(
                $"{where}: padding {padding} along {dim} is more than half the kernel {kernel} (⌊{kernel}/2⌋ = {kernel / 2}); " +
                "pooling padding must be ≤ ⌊k/2⌋ so that no window lies entirely in the padding.");
        var o = PoolOutputSize64(input, kernel, stride, padding, dilation, ceilMode);
        if (o > MaxExtent)
            throw new ShapeException(
                $"{where}: output along {dim} would be {o} ({PoolFormula(input, kernel, stride, padding, dilation, ceilMode)}), " +
                $"more than the {MaxExtent:N0} elements a dimension can hold.");
        if (o >= 1)
        {
            CheckReach(where, dim, o, kernel, stride, dilation, input + 2L * padding, $"the padded input {input}+2·{padding}");
            return;
        }
        throw new ShapeException(
            $"{where}: input {input} along {dim} (padded: {input}+2·{padding} = {input + 2L * padding}) is smaller than the " +
            $"dilated kernel {DilatedKernel(kernel, dilation)} ({PoolFormula(input, kernel, stride, padding, dilation, ceilMode)}).");
    }

    /// <summary>
    /// Checks one spatial dim of a transposed convolution: kernel, stride and dilation ≥ 1, padding ≥ 0,
    /// 0 ≤ output_padding &lt; max(stride, dilation) (PyTorch's rule: output padding only picks among the sizes a
    /// strided conv maps to the same input size), and an output of at least one element.
    /// </summary>
    public static void CheckTransposedDim(string where, string dim, int input, int kernel, int stride, int padding, int dilation, int outputPadding)
    {
        CheckWindow(where, dim, kernel, stride, dilation);
        CheckPadding(where, dim, padding);
        if (outputPadding < 0)
            throw new ShapeException($"{where}: output padding {outputPadding} along {dim} is negative; it must be ≥ 0.");
        var limit = Math.Max(stride, dilation);
        if (outputPadding >= limit)
            throw new ShapeException(
                $"{where}: output padding {outputPadding} along {dim} must be smaller than max(stride, dilation) = " +
                $"max({stride}, {dilation}) = {limit}.");
        if (input < 1)
            throw new ShapeException($"{where}: input {input} along {dim} is empty; a transposed convolution needs at least 1 element.");
        var o = TransposedOutputSize64(input, kernel, stride, padding, dilation, outputPadding);
        if (o > MaxExtent)
            throw new ShapeException(
                $"{where}: output along {dim} would be {o} ({TransposedFormula(input, kernel, stride, padding, dilation, outputPadding)}), " +
                $"more than the {MaxExtent:N0} elements a dimension can hold.");
        if (o >= 1)
        {
            // The conv it transposes slides over our output padded by p on both sides, with one window per input.
            CheckReach(where, dim, input, kernel, stride, dilation, o + 2L * padding, $"the output before cropping {o}+2·{padding}");
            return;
        }
        throw new ShapeException(
            $"{where}: padding {padding} along {dim} crops away the whole output " +
            $"({TransposedFormula(input, kernel, stride, padding, dilation, outputPadding)}).");
    }

    /// <summary>
    /// Checks the window alone: kernel, stride and dilation ≥ 1. Call it before resolving <c>Same</c> padding,
    /// which divides by the stride; the other checks include it.
    /// </summary>
    public static void CheckWindow(string where, string dim, int kernel, int stride, int dilation)
    {
        if (kernel < 1)
            throw new ShapeException($"{where}: kernel size {kernel} along {dim} must be ≥ 1.");
        if (stride < 1)
            throw new ShapeException($"{where}: stride {stride} along {dim} must be ≥ 1 (the window must move forward).");
        if (dilation < 1)
            throw new ShapeException($"{where}: dilation {dilation} along {dim} must be ≥ 1 (1 means a dense kernel).");
    }

    /// <summary>
    /// Every index a kernel computes must fit in 32 bits: the span of padded positions the windows reach,
    /// (o−1)·s + d·(k−1) + 1, and the padded extent itself. The output rule alone does not bound either: a huge
    /// stride keeps o small over a padded input of billions, and in ceil mode a lone window may run past it.
    /// </summary>
    private static void CheckReach(string where, string dim, long windows, int kernel, int stride, int dilation, long padded, string paddedText)
    {
        var reach = (windows - 1) * stride + (long)dilation * ((long)kernel - 1) + 1;
        if (reach <= MaxExtent && padded <= MaxExtent) return;
        throw new ShapeException(
            $"{where}: along {dim} the windows reach (o−1)·s + d·(k−1) + 1 = ({windows}−1)·{stride} + {dilation}·({kernel}−1) + 1 = {reach} " +
            $"positions of {paddedText} = {padded}; a dimension's indices must stay within {MaxExtent:N0}.");
    }

    private static void CheckPadding(string where, string dim, int padding)
    {
        if (padding < 0)
            throw new ShapeException($"{where}: padding {padding} along {dim} is negative; padding must be ≥ 0.");
    }

    private static string DilatedKernel(int kernel, int dilation) =>
        dilation == 1 ? kernel.ToString() : $"{dilation}·({kernel}−1)+1 = {(long)dilation * ((long)kernel - 1) + 1}";
}
