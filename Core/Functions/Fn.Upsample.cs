using Functional.Backends;
using Functional.Ops;

namespace Functional.Functions;

public static partial class Fn
{
    /// <summary>
    /// Nearest-neighbour upsampling of N×C×(D×)H×W (or N×C×L) by integer <paramref name="scale"/> per spatial dim
    /// (one value for all): output element i reads input ⌊i/s⌋, as PyTorch's <c>nearest</c> mode. One gather with
    /// zero strides along the repeats; the pullback sums each s-block of the gradient.
    /// </summary>
    /// <exception cref="ShapeException">The input is not N×C with 1 to 3 spatial dims, or a scale is below 1.</exception>
    public static Var UpsampleNearest(Var x, params int[] scale)
    {
        var s = x.Shape;
        var factors = Scales("upsample_nearest", s, scale);
        var rank = s.Rank - 2;
        if (rank > 2)
            throw new ShapeException($"upsample_nearest: {s} has {rank} spatial dims; the 1-d and 2-d forms are offered (the seam's gather views at most 6 dims).");
        var ctx = ContextOf(x);
        // View: planes, then per spatial dim (extent, repeat): strides (extent's own, 0).
        var dims = new List<int> { s[0] * s[1] };
        var strides = new List<int> { s.Count / Math.Max(1, s[0] * s[1]) };
        var own = s.Strides();
        for (var d = 0; d < rank; d++)
        {
            dims.Add(s[2 + d]); strides.Add(own[2 + d]);
            dims.Add(factors[d]); strides.Add(0);
        }
        var outShape = Shape.Of(s.Dims.Select((n, i) => i < 2 ? n : n * factors[i - 2]));
        var y = Gather(ctx, x.Value, dims.ToArray(), strides.ToArray(), 0).Reshape(outShape);
        return Make(ctx, y, [x], g =>
        {
            var reduced = dims.Select((_, i) => i > 0 && i % 2 == 0).ToArray();
            return [Reduced(ctx, ReduceOp.Sum, g.Reshape(Shape.Of(dims)), reduced).Reshape(s)];
        });
    }

    /// <summary>
    /// Bilinear upsampling of N×C×H×W by integer scales, as PyTorch's <c>bilinear</c> mode: with
    /// <paramref name="alignCorners"/> the corner pixels of input and output align (source = i·(in−1)/(out−1)),
    /// otherwise pixel centres do (source = (i + ½)/s − ½, clamped at 0). Interpolation is separable, so it runs as
    /// two batched matrix products with fixed interpolation matrices, y = A_H·x·A_Wᵀ, whose pullback is the
    /// transposed pair.
    /// </summary>
    /// <exception cref="ShapeException">The input is not N×C×H×W, or a scale is below 1.</exception>
    public static Var UpsampleBilinear(Var x, bool alignCorners, params int[] scale)
    {
        var s = x.Shape;
        if (s.Rank != 4) throw new ShapeException($"upsample_bilinear: input {s} must be N×C×H×W.");
        var f = Scales("upsample_bilinear", s, scale);
        int n = s[0], c = s[1], h = s[2], w = s[3];
        var ah = Interpolation(h, h * f[0], f[0], alignCorners, transposed: false);
        var awT = Interpolation(w, w * f[1], f[1], alignCorners, transposed: true);
        var planes = Reshape(x, n * c, h, w);
        return Reshape(Matmul(Matmul(ah, planes), awT), n, c, h * f[0], w * f[1]);
    }

    private static int[] Scales(string op, Shape s, int[] scale)
    {
        var rank = s.Rank - 2;
        if (rank < 1 || rank > 3) throw new ShapeException($"{op}: input {s} must be N×C with 1 to 3 spatial dims.");
        var f = scale.Length == 1 ? Enumerable.Repeat(scale[0], rank).ToArray() : scale;
        if (f.Length != rank || f.Any(v => v < 1))
            throw new ShapeException($"{op}: scale [{string.Join(", ", scale)}] must give one integer ≥ 1 for all {rank} spatial dims of {s}, or one each.");
        return f;
    }

    // out × in (or in × out when transposed): output i's two weights (PyTorch's h0, h1 = h0 + (h0 < in − 1), λ0 = 1 − λ1).
    private static Var Interpolation(int size, int outSize, int scale, bool alignCorners, bool transposed)
    {
        var m = new float[outSize * size];
        for (var i = 0; i < outSize; i++)
        {
            double src = alignCorners
                ? (outSize > 1 ? i * (double)(size - 1) / (outSize - 1) : 0.0)
                : Math.Max(0.0, (i + 0.5) / scale - 0.5);
            var i0 = Math.Min((int)src, size - 1);
            var i1 = i0 + (i0 < size - 1 ? 1 : 0);
            var l1 = (float)(src - i0);
            m[transposed ? i0 * outSize + i : i * size + i0] += 1f - l1;
            m[transposed ? i1 * outSize + i : i * size + i1] += l1;
        }
        return Tensor.FromArray(transposed ? Shape.Of(size, outSize) : Shape.Of(outSize, size), m);
    }
}
