using System.Runtime.Intrinsics;
using Functional.Backends.Reference;

namespace Functional.Backends.Cpu;

// Softmax runs over fixed items of whole rows (Inner = 1) or of up to 256 inner positions of one outer index, in
// parallel; every output depends on its own row or column only, so any thread count gives the same bits.
public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public unsafe void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y)
    {
        var (xs, ys, geo) = (Host(x), Host(y), g);
        SeamChecks.Softmax(g, xs.Length, ys.Length, null, "cpu Softmax");
        var line = g.Axis * g.Inner;
        if (!Vector256.IsHardwareAccelerated)
        {
            ForPlanes(g.Outer, line, (o0, count) =>
                SoftmaxKernels.Forward<float>(geo with { Outer = count }, log, xs.AsSpan(o0 * line, count * line), ys.AsSpan(o0 * line, count * line)));
            return;
        }
        fixed (float* px = xs, py = ys)
        {
            var (ax, ay) = ((nint)px, (nint)py);
            if (g.Inner == 1)
                ForPlanes(g.Outer, g.Axis, (o0, count) =>
                {
                    for (var o = o0; o < o0 + count; o++)
                        SoftmaxRows.Forward((float*)ax + (long)o * geo.Axis, (float*)ay + (long)o * geo.Axis, geo.Axis, log);
                });
            else
                ForColumns(geo, (o, c0, width) => SoftmaxColumns.Forward((float*)ax + (long)o * line, (float*)ay + (long)o * line,
                    geo.Axis, geo.Inner, c0, width, log));
        }
    }

    /// <inheritdoc />
    public unsafe void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx)
    {
        var (ys, dys, dxs, geo) = (Host(y), Host(dy), Host(dx), g);
        SeamChecks.Softmax(g, dxs.Length, ys.Length, dys.Length, "cpu SoftmaxBackward");
        var line = g.Axis * g.Inner;
        if (!Vector256.IsHardwareAccelerated)
        {
            ForPlanes(g.Outer, line, (o0, count) =>
                SoftmaxKernels.Backward<float>(geo with { Outer = count }, log, ys.AsSpan(o0 * line, count * line),
                    dys.AsSpan(o0 * line, count * line), dxs.AsSpan(o0 * line, count * line)));
            return;
        }
        fixed (float* py = ys, pdy = dys, pdx = dxs)
        {
            var (ay, ady, adx) = ((nint)py, (nint)pdy, (nint)pdx);
            if (g.Inner == 1)
                ForPlanes(g.Outer, g.Axis, (o0, count) =>
                {
                    for (var o = o0; o < o0 + count; o++)
                    {
                        var off = (long)o * geo.Axis;
                        SoftmaxRows.Backward((float*)ay + off, (float*)ady + off, (float*)adx + off, geo.Axis, log);
                    }
                });
            else
                ForColumns(geo, (o, c0, width) => SoftmaxColumns.Backward((float*)ay + (long)o * line, (float*)ady + (long)o * line,
                    (float*)adx + (long)o * line, geo.Axis, geo.Inner, c0, width, log));
        }
    }

    /// <summary>Runs <paramref name="body"/>(outer, first column, width) over column blocks fixed by the geometry.</summary>
    private void ForColumns(AxisGeometry g, Action<int, int, int> body)
    {
        var perOuter = (g.Inner + SoftmaxColumns.MaxWidth - 1) / SoftmaxColumns.MaxWidth;
        ForPlanes(g.Outer * perOuter, g.Axis * Math.Min(g.Inner, SoftmaxColumns.MaxWidth), (i0, count) =>
        {
            for (var i = i0; i < i0 + count; i++)
            {
                var c0 = i % perOuter * SoftmaxColumns.MaxWidth;
                body(i / perOuter, c0, Math.Min(SoftmaxColumns.MaxWidth, g.Inner - c0));
            }
        });
    }
}
