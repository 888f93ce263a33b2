using Functional.Backends;

namespace Functional.Tests.Support;

public sealed partial class CountingBackend
{
    /// <inheritdoc />
    public void Pointwise(PointOp op, float a, float b, TensorStorage x, TensorStorage y)
    { Count(); inner.Pointwise(op, a, b, x, y); }
    /// <inheritdoc />
    public void PointwiseBackward(PointOp op, float a, float b, TensorStorage x, TensorStorage dy, TensorStorage dx)
    { Count(); inner.PointwiseBackward(op, a, b, x, dy, dx); }
    /// <inheritdoc />
    public void Gather(in GatherGeometry g, TensorStorage src, TensorStorage dst)
    { Count(); inner.Gather(g, src, dst); }
    /// <inheritdoc />
    public void Where(TensorStorage cond, TensorStorage a, TensorStorage b, TensorStorage y)
    { Count(); inner.Where(cond, a, b, y); }
    /// <inheritdoc />
    public void Compare(CompareOp op, TensorStorage a, TensorStorage b, TensorStorage y)
    { Count(); inner.Compare(op, a, b, y); }
}
