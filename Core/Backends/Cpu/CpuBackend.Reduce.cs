using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Functional.Backends.Reference;

namespace Functional.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public unsafe void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y)
    {
        var (xs, ys, geo) = (Host(x), Host(y), g);
        SeamChecks.Reduce(g, xs.Length, keepAxis, ys.Length, "cpu Reduce");
        // Without 256-bit vectors Max keeps the Reference loop, whose NaN rule must win; sums use lane-parallel strips.
        if (op == ReduceOp.Max && !Vector256.IsHardwareAccelerated)
        {
            ReduceKernels.Reduce<float>(op, g, xs, keepAxis, ys);
            return;
        }
        fixed (float* px = xs, py = ys)
        {
            var (ax, ay) = ((nint)px, (nint)py);
            if (op == ReduceOp.Max)
            {
                ReduceMax(geo, (float*)ax, (float*)ay, keepAxis);
                return;
            }
            if (keepAxis)
            {
                _pool.For(g.Axis, a =>
                {
                    var acc = 0f;
                    for (var o = 0; o < geo.Outer; o++)
                    {
                        var strip = (float*)ax + ((long)o * geo.Axis + a) * geo.Inner;
                        acc += op == ReduceOp.SumOfSquares ? Simd.Dot(strip, strip, geo.Inner) : Simd.Sum(strip, geo.Inner);
                    }
                    ((float*)ay)[a] = op == ReduceOp.Mean ? acc / ((long)geo.Outer * geo.Inner) : acc;
                });
                return;
            }
            ForPlanes(g.Outer, g.Axis * g.Inner, (o0, count) =>
            {
                for (var o = o0; o < o0 + count; o++) ReduceAxis(op, geo, (float*)ax, (float*)ay, o);
            });
        }
    }

    private unsafe void ReduceMax(AxisGeometry g, float* x, float* y, bool keepAxis)
    {
        var (ax, ay) = ((nint)x, (nint)y);
        if (keepAxis)
            _pool.For(g.Axis, a => ((float*)ay)[a] = MaxKernels.Strips((float*)ax + (long)a * g.Inner, g.Outer, g.Inner, (long)g.Axis * g.Inner));
        else
            ForPlanes(g.Outer, g.Axis * g.Inner, (o0, count) =>
            {
                for (var o = o0; o < o0 + count; o++)
                {
                    var src = (float*)ax + (long)o * g.Axis * g.Inner;
                    var dst = (float*)ay + (long)o * g.Inner;
                    if (g.Inner == 1) *dst = MaxKernels.Strips(src, 1, g.Axis, 0);
                    else MaxKernels.Columns(src, dst, g.Axis, g.Inner);
                }
            });
    }

    // y[o, i] over the Axis: a contiguous strip when Inner is 1, otherwise Inner-wide rows added in axis order.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ReduceAxis(ReduceOp op, in AxisGeometry g, float* x, float* y, int o)
    {
        var src = x + (long)o * g.Axis * g.Inner;
        var dst = y + (long)o * g.Inner;
        if (g.Inner == 1)
            *dst = op == ReduceOp.SumOfSquares ? Simd.Dot(src, src, g.Axis) : Simd.Sum(src, g.Axis);
        else
        {
            new Span<float>(dst, g.Inner).Clear();
            for (var a = 0; a < g.Axis; a++)
            {
                var row = src + (long)a * g.Inner;
                if (op == ReduceOp.SumOfSquares) Simd.AddSquares(dst, row, g.Inner);
                else Simd.Add(dst, row, g.Inner);
            }
        }
        if (op == ReduceOp.Mean)
            for (var i = 0; i < g.Inner; i++) dst[i] /= g.Axis;
    }
}
