using Functional.Backends.Reference;

namespace Functional.Backends.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public unsafe void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y)
    {
        var (xs, ys) = (Host(x), Host(y));
        SeamChecks.Unary(xs.Length, ys.Length, "cpu Unary");
        fixed (float* px = xs, py = ys)
        {
            var (ax, ay) = ((nint)px, (nint)py);
            ForRange(xs.Length, (start, count) =>
            {
                if (!VectorKernels.Unary(op, alpha, (float*)ax + start, (float*)ay + start, count)
                    && !VectorMaps.Unary(op, (float*)ax + start, (float*)ay + start, count))
                    ElementwiseKernels.Unary<float>(op, alpha, xs.AsSpan(start, count), ys.AsSpan(start, count));
            });
        }
    }

    /// <inheritdoc />
    public unsafe void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx)
    {
        var (xs, ys, dys, dxs) = (Host(x), Host(y), Host(dy), Host(dx));
        SeamChecks.UnaryBackward(xs.Length, ys.Length, dys.Length, dxs.Length, "cpu UnaryBackward");
        fixed (float* px = xs, py = ys, pdy = dys, pdx = dxs)
        {
            var (ax, ay, ady, adx) = ((nint)px, (nint)py, (nint)pdy, (nint)pdx);
            ForRange(dys.Length, (start, count) =>
                VectorKernels.UnaryBackward(op, alpha, (float*)ax + start, (float*)ay + start, (float*)ady + start, (float*)adx + start, count));
        }
    }

    /// <inheritdoc />
    public unsafe void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y)
    {
        var (av, bv, yv, geo) = (Host(a), Host(b), Host(y), g);
        SeamChecks.Binary(g, av.Length, bv.Length, bPerAxis, yv.Length, "cpu Binary");
        fixed (float* pa = av, pb = bv, py = yv)
        {
            var (aa, ab, ay) = ((nint)pa, (nint)pb, (nint)py);
            if (!bPerAxis)
            {
                ForRange(g.Length, (s, n) => VectorKernels.Binary(op, (float*)aa + s, (float*)ab + s, (float*)ay + s, n));
                return;
            }
            // One block per (outer, axis) pair: Inner elements against one value of b, or a row of b when Inner is 1.
            var rows = g.Inner == 1 ? g.Outer : g.Outer * g.Axis;
            var width = g.Inner == 1 ? g.Axis : g.Inner;
            ForPlanes(rows, width, (r0, count) =>
            {
                for (var r = r0; r < r0 + count; r++)
                {
                    var off = (long)r * width;
                    if (geo.Inner == 1) VectorKernels.Binary(op, (float*)aa + off, (float*)ab, (float*)ay + off, width);
                    else VectorKernels.BinaryScalar(op, (float*)aa + off, ((float*)ab)[r % geo.Axis], (float*)ay + off, width);
                }
            });
        }
    }
}
