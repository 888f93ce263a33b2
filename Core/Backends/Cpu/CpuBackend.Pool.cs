using Functional.Backends.Reference;

namespace Functional.Backends.Cpu;

// Pooling runs over tabulated windows and max-pool backward runs the Reference kernel, all over fixed chunks of
// independent planes in parallel: the same arithmetic, so results equal the Reference backend's.
public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax)
    {
        SeamChecks.Pool(g, Host(x).Length, Host(y).Length, argmax?.Length, "cpu PoolForward");
        Pool(g, x, y, argmax is null ? [] : Host(argmax));
    }

    /// <inheritdoc />
    /// <remarks>The same kernels as <see cref="PoolForward"/>, told by a null argmax pointer not to store indices.</remarks>
    public void MaxPoolInference(in PoolGeometry g, TensorStorage x, TensorStorage y)
    {
        if (g.Kind != PoolKind.Max) throw new ArgumentException($"cpu MaxPoolInference: {g.Kind} pooling is not max pooling.", nameof(g));
        SeamChecks.Pool(g, Host(x).Length, Host(y).Length, Host(y).Length, "cpu MaxPoolInference");
        Pool(g, x, y, []);
    }

    private unsafe void Pool(in PoolGeometry g, TensorStorage x, TensorStorage y, int[] ids)
    {
        var (xs, ys, geo) = (Host(x), Host(y), g);
        var (td, th, tw) = (PoolWindows.Table(g, 0), PoolWindows.Table(g, 1), PoolWindows.Table(g, 2));
        fixed (float* px = xs, py = ys)
        fixed (int* pa = ids)
        {
            var (ax, ay, aa) = ((nint)px, (nint)py, (nint)pa);
            if (PoolWindows.IsMax2x2(g))
                ForPlanes(g.Planes, g.Input.Product, (p0, count) => PoolWindows.Max2x2(geo, (float*)ax, (float*)ay, (int*)aa, p0, count));
            else
                ForPlanes(g.Planes, g.Input.Product, (p0, count) =>
                    PoolWindows.Forward(geo, td, th, tw, (float*)ax, (float*)ay, (int*)aa, p0, count));
        }
    }

    /// <inheritdoc />
    public unsafe void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx)
    {
        var (dys, dxs, geo) = (Host(dy), Host(dx), g);
        var ids = argmax is null ? [] : Host(argmax);
        SeamChecks.Pool(g, dxs.Length, dys.Length, argmax?.Length, "cpu PoolBackward");
        var (inP, outP) = (g.Input.Product, g.Output.Product);
        if (g.Kind != PoolKind.Max)
        {
            var (td, th, tw) = (PoolWindows.Table(g, 0), PoolWindows.Table(g, 1), PoolWindows.Table(g, 2));
            fixed (float* pdy = dys, pdx = dxs)
            {
                var (ady, adx) = ((nint)pdy, (nint)pdx);
                ForPlanes(g.Planes, inP, (p0, count) => PoolWindows.AverageBackward(geo, td, th, tw, (float*)ady, (float*)adx, p0, count));
            }
            return;
        }
        ForPlanes(g.Planes, inP, (p0, count) =>
            PoolKernels.Backward<float>(geo with { Planes = count }, dys.AsSpan(p0 * outP, count * outP),
                ids.Length == 0 ? [] : ids.AsSpan(p0 * outP, count * outP), dxs.AsSpan(p0 * inP, count * inP)));
    }
}
