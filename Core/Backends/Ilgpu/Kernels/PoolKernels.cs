using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// Max, average and adaptive-average pooling over N·C planes and their gradients, as grid-stride loops with the
/// Reference kernels' taps, order and divisors. Max keeps the first maximum (strict &gt;) and lets a NaN win, as
/// PyTorch. The backward is a gather: each input element visits, in ascending order, the windows that can hold it
/// (<see cref="PoolReach"/>) and sums their shares (max: dy where the argmax is this element; average: dy/n), so it
/// is written once, with no atomics, and equals the Reference scatter bit for bit.
/// </summary>
internal static class PoolKernels
{
    private sealed record Set(
        Action<KernelConfig, PoolShape, ArrayView<float>, ArrayView<float>, ArrayView<int>> Forward,
        Action<KernelConfig, PoolShape, ArrayView<float>, ArrayView<int>, ArrayView<float>> Backward);

    private static readonly KernelCache<Set> Cache = new(a => new Set(
        a.LoadStreamKernel<PoolShape, ArrayView<float>, ArrayView<float>, ArrayView<int>>(ForwardKernel),
        a.LoadStreamKernel<PoolShape, ArrayView<float>, ArrayView<int>, ArrayView<float>>(BackwardKernel)));

    /// <summary>y = pooled x; for max pooling also the flat in-plane argmax, unless <paramref name="argmax"/> is empty.</summary>
    public static void Forward(Accelerator accelerator, in PoolGeometry g, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax) =>
        Cache.For(accelerator).Forward(GridStride.Config(accelerator, g.OutputLength), new PoolShape(g), x, y, argmax);

    /// <summary>dx from dy (and, for max pooling, the forward's argmax); every element of dx is written.</summary>
    public static void Backward(Accelerator accelerator, in PoolGeometry g, ArrayView<float> dy, ArrayView<int> argmax, ArrayView<float> dx) =>
        Cache.For(accelerator).Backward(GridStride.Config(accelerator, g.InputLength), new PoolShape(g), dy, argmax, dx);

    private static void ForwardKernel(PoolShape g, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax)
    {
        int inP = g.Input.Cells(), outP = g.Output.Cells(), total = g.Planes * outP;
        for (var flat = GridStride.First; flat < total; flat += GridStride.Step)
        {
            var plane = flat / outP;
            var (od, oh, ow) = ConvIndex.Split(flat - plane * outP, g.Output);
            PoolAxis d = PoolAxis.Of(g, 0, od), h = PoolAxis.Of(g, 1, oh), w = PoolAxis.Of(g, 2, ow);
            var best = g.Max ? float.NegativeInfinity : 0f;
            var index = -1;
            for (var jd = d.Lo; jd < d.Hi; jd++)
                for (var jh = h.Lo; jh < h.Hi; jh++)
                    for (var jw = w.Lo; jw < w.Hi; jw++)
                    {
                        var i = (d.At(jd) * g.Input.H + h.At(jh)) * g.Input.W + w.At(jw);
                        var v = x[plane * inP + i];
                        if (!g.Max) best += v;
                        // A NaN wins (and a later NaN replaces an earlier one), as the Reference and PyTorch.
                        else if (index < 0 || v > best || float.IsNaN(v)) (best, index) = (v, i);
                    }
            if (g.Max)
            {
                y[flat] = best;
                if (argmax.Length > 0) argmax[flat] = index;
            }
            else
            {
                var divisor = Divisor(g, d, h, w);
                y[flat] = divisor == 0 ? 0f : best / divisor;
            }
        }
    }

    private static void BackwardKernel(PoolShape g, ArrayView<float> dy, ArrayView<int> argmax, ArrayView<float> dx)
    {
        int inP = g.Input.Cells(), outP = g.Output.Cells(), total = g.Planes * inP;
        for (var flat = GridStride.First; flat < total; flat += GridStride.Step)
        {
            var plane = flat / inP;
            var i = flat - plane * inP;
            var (id, ih, iw) = ConvIndex.Split(i, g.Input);
            PoolReach rd = PoolReach.Of(g, 0, id), rh = PoolReach.Of(g, 1, ih), rw = PoolReach.Of(g, 2, iw);
            var sum = 0f;
            for (var md = 0; md < rd.Count; md++)
            {
                var od = rd.At(md);
                if (od < 0) continue;
                for (var mh = 0; mh < rh.Count; mh++)
                {
                    var oh = rh.At(mh);
                    if (oh < 0) continue;
                    for (var mw = 0; mw < rw.Count; mw++)
                    {
                        var ow = rw.At(mw);
                        if (ow < 0) continue;
                        var o = plane * outP + (od * g.Output.H + oh) * g.Output.W + ow;
                        if (g.Max)
                        {
                            if (argmax[o] == i) sum += dy[o];
                            continue;
                        }
                        var divisor = Divisor(g, PoolAxis.Of(g, 0, od), PoolAxis.Of(g, 1, oh), PoolAxis.Of(g, 2, ow));
                        if (divisor != 0) sum += dy[o] / divisor;
                    }
                }
            }
            dx[flat] = sum;
        }
    }

    // count_include_pad counts the window clipped to the padded input; otherwise only the taps inside the input.
    private static int Divisor(in PoolShape g, in PoolAxis d, in PoolAxis h, in PoolAxis w) =>
        g.IncludesPad ? d.WithPad * h.WithPad * w.WithPad : d.Inside * h.Inside * w.Inside;
}
