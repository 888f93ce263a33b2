using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Ops;

/// <summary>
/// Convolution in the mathematical sense: the kernel is flipped along every spatial dim before it slides, so
/// y[o] = Σ_k x[o·s − p + k·d] · w[K−1−k]. Deep-learning "convolution" (<see cref="Conv"/>) is the
/// cross-correlation; this one is offered for teaching and for the duality laws (x ∗ w = x ⋆ flip(w)).
/// </summary>
public static class TrueConvolution
{
    /// <summary>y = x ∗ w (+ b) = x ⋆ flip(w) (+ b), with the same spec and shapes as <see cref="Conv"/>.</summary>
    public static Tensor Forward(ExecutionContext ctx, ConvSpec spec, Tensor x, Tensor w, Tensor? b = null, string? layer = null) =>
        Conv.Forward(ctx, spec, x, Flip(w, spec.Rank), b, layer);

    /// <summary>The conv gradients through the flipped kernel; the weight gradient is flipped back to w's orientation.</summary>
    public static ConvGradients Backward(ExecutionContext ctx, ConvSpec spec, Tensor x, Tensor w, Tensor? b, Tensor dy, string? layer = null)
    {
        var g = Conv.Backward(ctx, spec, x, Flip(w, spec.Rank), b, dy, layer);
        return g with { Weight = Flip(g.Weight, spec.Rank) };
    }

    /// <summary>Reverses the last <paramref name="spatialRank"/> dims of every kernel: w[co,ci,k] → w[co,ci,K−1−k].</summary>
    public static Tensor Flip(Tensor w, int spatialRank)
    {
        if (spatialRank < 1 || spatialRank > 3 || w.Shape.Rank < spatialRank)
            throw new ShapeException($"Flip: cannot flip the last {spatialRank} dims of a tensor of shape {w.Shape}.");
        var dims = w.Shape.Dims;
        var kernel = 1;
        for (var i = dims.Length - spatialRank; i < dims.Length; i++) kernel *= dims[i];
        var src = w.Span;
        var dst = new float[src.Length];
        // Reversing all spatial dims of a row-major kernel is reversing its flat tap order.
        for (var start = 0; start < src.Length; start += kernel)
            for (var t = 0; t < kernel; t++)
                dst[start + t] = src[start + kernel - 1 - t];
        return Tensor.Wrap(w.Shape, dst);
    }
}
