using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;
using Functional.Random;

namespace Functional.Ops;

/// <summary>A dropout forward: the output and the scaled mask (null in inference mode, where dropout is the identity).</summary>
/// <param name="Mask">1/(1−p) where an element was kept, 0 where it was dropped.</param>
public sealed record DropoutResult(Tensor Output, Tensor? Mask);

/// <summary>
/// Inverted dropout: in training each element is kept with probability 1−p and scaled by 1/(1−p), so the
/// expectation is unchanged and inference is the identity. The mask is a pure function of the key: element i
/// is kept when the key's uniform number i is ≥ p, so the same key always drops the same elements.
/// </summary>
public static class Dropout
{
    /// <summary>y = x ⊙ mask in training, y = x in inference.</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside [0, 1].</exception>
    public static DropoutResult Forward(ExecutionContext ctx, Tensor x, float p, Key key, bool training, string? layer = null)
    {
        if (!(p >= 0f && p <= 1f))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"{LayerName.Of("Dropout", layer)}: the drop probability {p} must be in [0, 1].");
        if (!training || p == 0f) return new DropoutResult(x, null);
        var mask = new float[x.Count];
        // p = 1 drops everything; the mask stays 0 instead of 0·∞.
        var keep = p < 1f ? 1f / (1f - p) : 0f;
        for (var i = 0; i < mask.Length; i++) mask[i] = key.Uniform(i) >= p ? keep : 0f;
        var m = Tensor.Wrap(x.Shape, mask);
        return new DropoutResult(SeamCalls.Binary(ctx, BinaryOp.Multiply, x, m), m);
    }

    /// <summary>dx = dy ⊙ mask (dy itself in inference mode).</summary>
    public static Tensor Backward(ExecutionContext ctx, DropoutResult forward, Tensor dy, string? layer = null)
    {
        SeamCalls.CheckGradient(LayerName.Of("Dropout", layer), dy, forward.Output.Shape);
        return forward.Mask is null ? dy : SeamCalls.Binary(ctx, BinaryOp.Multiply, dy, forward.Mask);
    }
}
