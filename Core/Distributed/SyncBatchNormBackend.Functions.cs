using Functional.Backends;

namespace Functional.Distributed;

// The tensor functions hold no batch statistics, so they go straight to the wrapped backend.
public sealed partial class SyncBatchNormBackend
{
    /// <inheritdoc />
    public void Pointwise(PointOp op, float a, float b, TensorStorage x, TensorStorage y) => inner.Pointwise(op, a, b, x, y);

    /// <inheritdoc />
    public void PointwiseBackward(PointOp op, float a, float b, TensorStorage x, TensorStorage dy, TensorStorage dx) =>
        inner.PointwiseBackward(op, a, b, x, dy, dx);

    /// <inheritdoc />
    public void Gather(in GatherGeometry g, TensorStorage src, TensorStorage dst) => inner.Gather(g, src, dst);

    /// <inheritdoc />
    public void Where(TensorStorage cond, TensorStorage a, TensorStorage b, TensorStorage y) => inner.Where(cond, a, b, y);

    /// <inheritdoc />
    public void Compare(CompareOp op, TensorStorage a, TensorStorage b, TensorStorage y) => inner.Compare(op, a, b, y);
}
