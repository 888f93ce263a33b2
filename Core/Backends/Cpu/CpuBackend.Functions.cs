using Functional.Backends.Reference;

namespace Functional.Backends.Cpu;

/// <summary>
/// The function entries run the Reference formulas over fixed 32K-element chunks on every worker, as explicit
/// padding does: they are memory-bound maps whose cost is the pass over the data, and the shared formulas keep
/// them bit-identical to Reference for any thread count.
/// </summary>
public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public void Pointwise(PointOp op, float a, float b, TensorStorage x, TensorStorage y)
    {
        var (xs, ys) = (Host(x), Host(y));
        FunctionSeamChecks.SameLengths("cpu Pointwise", xs.Length, ys.Length);
        ForRange(ys.Length, (s, n) => PointwiseKernels.Forward<float>(op, a, b, xs.AsSpan(s, n), ys.AsSpan(s, n)));
    }

    /// <inheritdoc />
    public void PointwiseBackward(PointOp op, float a, float b, TensorStorage x, TensorStorage dy, TensorStorage dx)
    {
        var (xs, dys, dxs) = (Host(x), Host(dy), Host(dx));
        FunctionSeamChecks.SameLengths("cpu PointwiseBackward", xs.Length, dys.Length, dxs.Length);
        ForRange(dxs.Length, (s, n) => PointwiseKernels.Backward<float>(op, a, b, xs.AsSpan(s, n), dys.AsSpan(s, n), dxs.AsSpan(s, n)));
    }

    /// <inheritdoc />
    public void Gather(in GatherGeometry g, TensorStorage src, TensorStorage dst)
    {
        var (ss, ds, geometry) = (Host(src), Host(dst), g);
        FunctionSeamChecks.Gather(g, ss.Length, ds.Length, "cpu Gather");
        ForRange(ds.Length, (s, n) => PointwiseKernels.Gather<float>(geometry, ss, ds, s, n));
    }

    /// <inheritdoc />
    public void Where(TensorStorage cond, TensorStorage a, TensorStorage b, TensorStorage y)
    {
        var (cs, @as, bs, ys) = (Host(cond), Host(a), Host(b), Host(y));
        FunctionSeamChecks.SameLengths("cpu Where", cs.Length, @as.Length, bs.Length, ys.Length);
        ForRange(ys.Length, (s, n) => PointwiseKernels.Where<float>(cs.AsSpan(s, n), @as.AsSpan(s, n), bs.AsSpan(s, n), ys.AsSpan(s, n)));
    }

    /// <inheritdoc />
    public void Compare(CompareOp op, TensorStorage a, TensorStorage b, TensorStorage y)
    {
        var (@as, bs, ys) = (Host(a), Host(b), Host(y));
        FunctionSeamChecks.SameLengths("cpu Compare", @as.Length, bs.Length, ys.Length);
        ForRange(ys.Length, (s, n) => PointwiseKernels.Compare<float>(op, @as.AsSpan(s, n), bs.AsSpan(s, n), ys.AsSpan(s, n)));
    }
}
