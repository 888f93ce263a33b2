namespace Functional;

// Stand-in until ShapeRules.CheckPoolDim lands; same contract.
internal static class PoolDimRule
{
    public static void Check(string where, string dim, int input, int kernel, int stride, int padding, int dilation, bool ceilMode)
    {
        if (kernel < 1 || stride < 1 || dilation < 1)
            throw new ShapeException($"{where}: kernel {kernel}, stride {stride} and dilation {dilation} along {dim} must all be ≥ 1.");
        if (padding < 0) throw new ShapeException($"{where}: padding {padding} along {dim} is negative.");
        if (padding > kernel / 2)
            throw new ShapeException($"{where}: padding {padding} along {dim} is more than half the kernel {kernel} (⌊{kernel}/2⌋ = {kernel / 2}).");
        if (ShapeRules.PoolOutputSize(input, kernel, stride, padding, dilation, ceilMode) < 1)
            throw new ShapeException($"{where}: input {input} along {dim} is smaller than the dilated kernel {dilation * (kernel - 1) + 1}.");
    }
}
