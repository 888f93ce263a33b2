using Functional.Backends.Reference;

namespace Functional.Backends.Cpu;

public sealed partial class CpuBackend
{
    // Every batch-norm kernel runs one channel per work item, so a channel's sums have one fixed order whatever the
    // thread count; the per-element passes use the Reference formulas with the same per-channel constants.

    /// <inheritdoc />
    public unsafe void BatchNormStatistics(in AxisGeometry g, TensorStorage x, TensorStorage mean, TensorStorage variance)
    {
        var (xs, ms, vs, geo) = (Host(x), Host(mean), Host(variance), g);
        CheckLength("BatchNormStatistics", "x", xs.Length, g.Length);
        CheckLength("BatchNormStatistics", "mean", ms.Length, g.Axis);
        CheckLength("BatchNormStatistics", "variance", vs.Length, g.Axis);
        var m = (float)((long)g.Outer * g.Inner);
        fixed (float* px = xs)
        {
            var ax = (nint)px;
            _pool.For(g.Axis, a =>
            {
                var sum = 0f;
                for (var o = 0; o < geo.Outer; o++) sum += Simd.Sum(Strip(ax, geo, o, a), geo.Inner);
                var mu = sum / m;
                var squares = 0f;
                for (var o = 0; o < geo.Outer; o++) squares += Simd.SquaredDeviations(Strip(ax, geo, o, a), mu, geo.Inner);
                (ms[a], vs[a]) = (mu, squares / m);
            });
        }
    }

    /// <inheritdoc />
    public unsafe void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y)
    {
        var (xs, ms, vs, gs, bs, ys, geo) = (Host(x), Host(mean), Host(variance), Host(gamma), Host(beta), Host(y), g);
        CheckLength("BatchNormForward", "x", xs.Length, g.Length);
        CheckLength("BatchNormForward", "y", ys.Length, g.Length);
        foreach (var (name, s) in new[] { ("mean", ms), ("variance", vs), ("gamma", gs), ("beta", bs) })
            CheckLength("BatchNormForward", name, s.Length, g.Axis);
        fixed (float* px = xs, py = ys)
        {
            var (ax, ay) = ((nint)px, (nint)py);
            _pool.For(g.Axis, a =>
            {
                var s = BatchNormKernels.Scale(gs[a], vs[a], eps);
                for (var o = 0; o < geo.Outer; o++)
                    Simd.Normalize(Strip(ax, geo, o, a), ms[a], s, bs[a], Strip(ay, geo, o, a), geo.Inner);
            });
        }
    }

    /// <inheritdoc />
    public unsafe void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    {
        var (xs, ms, vs, gs, dys, dxs, dgs, dbs, geo) = (Host(x), Host(mean), Host(variance), Host(gamma), Host(dy), Host(dx), Host(dgamma), Host(dbeta), g);
        foreach (var (name, s) in new[] { ("x", xs), ("dy", dys), ("dx", dxs) })
            CheckLength("BatchNormBackward", name, s.Length, g.Length);
        foreach (var (name, s) in new[] { ("mean", ms), ("variance", vs), ("gamma", gs), ("dgamma", dgs), ("dbeta", dbs) })
            CheckLength("BatchNormBackward", name, s.Length, g.Axis);
        var m = (float)((long)g.Outer * g.Inner);
        fixed (float* px = xs, pdy = dys, pdx = dxs)
        {
            var (ax, ady, adx) = ((nint)px, (nint)pdy, (nint)pdx);
            _pool.For(g.Axis, a =>
            {
                float sum = 0f, dot = 0f;
                for (var o = 0; o < geo.Outer; o++)
                {
                    sum += Simd.Sum(Strip(ady, geo, o, a), geo.Inner);
                    dot += Simd.CentredDot(Strip(ady, geo, o, a), Strip(ax, geo, o, a), ms[a], geo.Inner);
                }
                var invStd = 1f / MathF.Sqrt(vs[a] + eps);
                (dbs[a], dgs[a]) = (sum, dot * invStd);
                var c = BatchNormKernels.Coefficients(training, sum, dot, invStd, gs[a], m);
                for (var o = 0; o < geo.Outer; o++)
                    Simd.NormalizeBackward(Strip(ady, geo, o, a), Strip(ax, geo, o, a), ms[a], c.Projection, c.MeanGradient, c.Scale,
                        Strip(adx, geo, o, a), geo.Inner);
            });
        }
    }

    // The Inner-long run of channel a in outer slice o.
    private static unsafe float* Strip(nint data, in AxisGeometry g, int o, int a) => (float*)data + ((long)o * g.Axis + a) * g.Inner;
}
