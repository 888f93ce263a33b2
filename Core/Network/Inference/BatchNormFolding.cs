using Functional.Backends;

namespace Functional.Network.Inference;

/// <summary>
/// Folds an inference-mode batch norm into the conv before it: with s = γ/√(σ² + eps) per output channel,
/// BN(x ⋆ w + b) = x ⋆ (s·w) + (s·(b − μ) + β). The products are formed in double and rounded once, so the folded
/// conv differs from the unfolded pair only by the rounding of its sums (the law in the tests bounds it). A NaN or
/// infinity in the statistics or the input still reaches the output, as it would through the two layers.
/// </summary>
internal static class BatchNormFolding
{
    /// <summary>The folded weight (C_out × …) and bias (C_out) as host arrays.</summary>
    public static (float[] Weight, float[] Bias) Fold(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outChannels,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, float eps)
    {
        var perChannel = weight.Length / outChannels;
        var (w, b) = (new float[weight.Length], new float[outChannels]);
        for (var c = 0; c < outChannels; c++)
        {
            // The batch norm adds eps in float before the square root (as PyTorch): the same here.
            var s = gamma[c] / Math.Sqrt(variance[c] + eps);
            for (var i = c * perChannel; i < (c + 1) * perChannel; i++) w[i] = (float)(weight[i] * s);
            b[c] = (float)(((bias.IsEmpty ? 0.0 : bias[c]) - mean[c]) * s + beta[c]);
        }
        return (w, b);
    }
}
