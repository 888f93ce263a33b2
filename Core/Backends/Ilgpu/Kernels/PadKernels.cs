using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// Explicit padding of N·C planes in the four modes, and its adjoint, as grid-stride loops. The forward reads each
/// padded element's source as the Reference <c>PadKernels.Source</c> does; the backward is a gather: each input
/// element sums the gradients of the padded positions that copied it (<see cref="PadPreimage"/>), in ascending
/// order, so it is written once, needs no atomics, and equals the Reference scatter bit for bit.
/// </summary>
internal static class PadKernels
{
    private sealed record Set(
        Action<KernelConfig, PadGeometry, int, ArrayView<float>, ArrayView<float>> Forward,
        Action<KernelConfig, PadGeometry, int, ArrayView<float>, ArrayView<float>> Backward);

    private static readonly KernelCache<Set> Cache = new(a => new Set(
        a.LoadStreamKernel<PadGeometry, int, ArrayView<float>, ArrayView<float>>(ForwardKernel),
        a.LoadStreamKernel<PadGeometry, int, ArrayView<float>, ArrayView<float>>(BackwardKernel)));

    /// <summary>y = x padded by <paramref name="mode"/>; every element of y is written.</summary>
    public static void Forward(Accelerator accelerator, in PadGeometry g, PaddingMode mode, ArrayView<float> x, ArrayView<float> y) =>
        Cache.For(accelerator).Forward(GridStride.Config(accelerator, (long)g.Planes * g.Output.Cells()), g, (int)mode, x, y);

    /// <summary>dx[j] = Σ dy[o] over the padded positions o whose source is j; every element of dx is written.</summary>
    public static void Backward(Accelerator accelerator, in PadGeometry g, PaddingMode mode, ArrayView<float> dy, ArrayView<float> dx) =>
        Cache.For(accelerator).Backward(GridStride.Config(accelerator, (long)g.Planes * g.Input.Cells()), g, (int)mode, dy, dx);

    private static void ForwardKernel(PadGeometry g, int mode, ArrayView<float> x, ArrayView<float> y)
    {
        int inP = g.Input.Cells(), outP = g.Output.Cells(), total = g.Planes * outP;
        for (var flat = GridStride.First; flat < total; flat += GridStride.Step)
        {
            var plane = flat / outP;
            var (od, oh, ow) = ConvIndex.Split(flat - plane * outP, g.Output);
            var d = Fold(od - g.Before.D, g.Input.D, mode);
            var h = Fold(oh - g.Before.H, g.Input.H, mode);
            var w = Fold(ow - g.Before.W, g.Input.W, mode);
            y[flat] = d < 0 || h < 0 || w < 0 ? 0f : x[plane * inP + (d * g.Input.H + h) * g.Input.W + w];
        }
    }

    private static void BackwardKernel(PadGeometry g, int mode, ArrayView<float> dy, ArrayView<float> dx)
    {
        int inP = g.Input.Cells(), outP = g.Output.Cells(), total = g.Planes * inP;
        for (var flat = GridStride.First; flat < total; flat += GridStride.Step)
        {
            var plane = flat / inP;
            var (jd, jh, jw) = ConvIndex.Split(flat - plane * inP, g.Input);
            var pd = PadPreimage.Of(jd, g.Input.D, g.Before.D, g.Output.D, mode);
            var ph = PadPreimage.Of(jh, g.Input.H, g.Before.H, g.Output.H, mode);
            var pw = PadPreimage.Of(jw, g.Input.W, g.Before.W, g.Output.W, mode);
            var sum = 0f;
            // Nested ascending d, h, w: ascending flat order, the order in which the Reference scatter adds.
            for (var md = 0; md < pd.Count; md++)
            {
                var od = pd.At(md);
                if (!pd.Contains(od)) continue;
                for (var mh = 0; mh < ph.Count; mh++)
                {
                    var oh = ph.At(mh);
                    if (!ph.Contains(oh)) continue;
                    var row = plane * outP + (od * g.Output.H + oh) * g.Output.W;
                    for (var mw = 0; mw < pw.Count; mw++)
                    {
                        var ow = pw.At(mw);
                        if (pw.Contains(ow)) sum += dy[row + ow];
                    }
                }
            }
            dx[flat] = sum;
        }
    }

    // As the Reference fold: position j of the padded axis maps to this input position, or −1 for a zero.
    private static int Fold(int j, int n, int mode)
    {
        if (j >= 0 && j < n) return j;
        if (mode == (int)PaddingMode.Replicate) return j < 0 ? 0 : n - 1;
        if (mode == (int)PaddingMode.Circular) return (j % n + n) % n;
        if (mode == (int)PaddingMode.Reflect)
        {
            if (n == 1) return 0;
            var period = 2 * (n - 1);
            var r = (j % period + period) % period;
            return r < n ? r : period - r;
        }
        return -1;
    }
}
