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
        SeamChecks.BatchNorm(g, "cpu BatchNormStatistics", [("x", xs.Length)], [("mean", ms.Length), ("variance", vs.Length)]);
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
    public void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y) =>
        Normalize("cpu BatchNormForward", g, eps, x, mean, variance, gamma, beta, y, relu: false);

    /// <inheritdoc />
    public void BatchNormReLUForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y) =>
        Normalize("cpu BatchNormReLUForward", g, eps, x, mean, variance, gamma, beta, y, relu: true);

    // The ReLU runs on each strip while it is still in cache, with the ReLU entry's own kernel (same bits).
    private unsafe void Normalize(string entry, in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y, bool relu)
    {
        var (xs, ms, vs, gs, bs, ys, geo) = (Host(x), Host(mean), Host(variance), Host(gamma), Host(beta), Host(y), g);
        SeamChecks.BatchNorm(g, entry, [("x", xs.Length), ("y", ys.Length)],
            [("mean", ms.Length), ("variance", vs.Length), ("gamma", gs.Length), ("beta", bs.Length)]);
        fixed (float* px = xs, py = ys)
        {
            var (ax, ay) = ((nint)px, (nint)py);
            _pool.For(g.Axis, a =>
            {
                var s = BatchNormKernels.Scale(gs[a], vs[a], eps);
                for (var o = 0; o < geo.Outer; o++)
                {
                    var strip = Strip(ay, geo, o, a);
                    Simd.Normalize(Strip(ax, geo, o, a), ms[a], s, bs[a], strip, geo.Inner);
                    if (relu) VectorKernels.Unary(UnaryOp.ReLU, 0f, strip, strip, geo.Inner);
                }
            });
        }
    }

    /// <inheritdoc />
    public void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta) =>
        NormalizeBackward("cpu BatchNormBackward", g, eps, training, x, mean, variance, gamma, null, dy, dx, dgamma, dbeta);

    /// <inheritdoc />
    public void BatchNormReLUBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage y, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta) =>
        NormalizeBackward("cpu BatchNormReLUBackward", g, eps, training, x, mean, variance, gamma, y, dy, dx, dgamma, dbeta);

    // With a ReLU output y, each channel's dy is first masked into scratch by the ReLU entry's own kernel, and both
    // passes read the masked copy: the sums and dx are then the bits of the two entries run one after the other.
    private unsafe void NormalizeBackward(string entry, in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean,
        TensorStorage variance, TensorStorage gamma, TensorStorage? y, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    {
        var (xs, ms, vs, gs, dys, dxs, dgs, dbs, geo) = (Host(x), Host(mean), Host(variance), Host(gamma), Host(dy), Host(dx), Host(dgamma), Host(dbeta), g);
        var ys = y is null ? [] : Host(y);
        SeamChecks.BatchNorm(g, entry, [("x", xs.Length), ("y", y is null ? dys.Length : ys.Length), ("dy", dys.Length), ("dx", dxs.Length)],
            [("mean", ms.Length), ("variance", vs.Length), ("gamma", gs.Length), ("dgamma", dgs.Length), ("dbeta", dbs.Length)]);
        var m = (float)((long)g.Outer * g.Inner);
        var relu = y is not null;
        fixed (float* px = xs, py = ys, pdy = dys, pdx = dxs)
        {
            var (ax, ay, ady, adx) = ((nint)px, (nint)py, (nint)pdy, (nint)pdx);
            _pool.For(g.Axis, a =>
            {
                var masked = relu ? Scratch.Rent(geo.Outer * geo.Inner) : null;
                try
                {
                    fixed (float* pm = masked)
                    {
                        // Channel a's upstream gradient for strip o: dy itself, or its masked copy.
                        var am = (nint)pm;
                        float* Upstream(int o) => relu ? (float*)am + (long)o * geo.Inner : Strip(ady, geo, o, a);
                        if (relu)
                            for (var o = 0; o < geo.Outer; o++)
                                VectorKernels.UnaryBackward(UnaryOp.ReLU, 0f, Strip(ay, geo, o, a), Strip(ay, geo, o, a), Strip(ady, geo, o, a),
                                    Upstream(o), geo.Inner);
                        float sum = 0f, dot = 0f;
                        for (var o = 0; o < geo.Outer; o++)
                        {
                            sum += Simd.Sum(Upstream(o), geo.Inner);
                            dot += Simd.CentredDot(Upstream(o), Strip(ax, geo, o, a), ms[a], geo.Inner);
                        }
                        var invStd = 1f / MathF.Sqrt(vs[a] + eps);
                        (dbs[a], dgs[a]) = (sum, dot * invStd);
                        var c = BatchNormKernels.Coefficients(training, sum, dot, invStd, gs[a], m);
                        for (var o = 0; o < geo.Outer; o++)
                            Simd.NormalizeBackward(Upstream(o), Strip(ax, geo, o, a), ms[a], c.Projection, c.MeanGradient, c.Scale,
                                Strip(adx, geo, o, a), geo.Inner);
                    }
                }
                finally
                {
                    if (masked is not null) Scratch.Return(masked);
                }
            });
        }
    }

    // The Inner-long run of channel a in outer slice o.
    private static unsafe float* Strip(nint data, in AxisGeometry g, int o, int a) => (float*)data + ((long)o * g.Axis + a) * g.Inner;
}
