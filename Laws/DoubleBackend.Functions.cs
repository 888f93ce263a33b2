using Functional.Backends;
using Functional.Backends.Reference;

namespace Functional.Laws;

public sealed partial class DoubleBackend
{
    /// <inheritdoc />
    public void Pointwise(PointOp op, float a, float b, TensorStorage x, TensorStorage y) =>
        PointwiseKernels.Forward<double>(op, a, b, D(x), D(y));
    /// <inheritdoc />
    public void PointwiseBackward(PointOp op, float a, float b, TensorStorage x, TensorStorage dy, TensorStorage dx) =>
        PointwiseKernels.Backward<double>(op, a, b, D(x), D(dy), D(dx));
    /// <inheritdoc />
    public void Gather(in GatherGeometry g, TensorStorage src, TensorStorage dst)
    {
        FunctionSeamChecks.Gather(g, src.Length, dst.Length, "double Gather");
        PointwiseKernels.Gather<double>(g, D(src), D(dst), 0, dst.Length);
    }
    /// <inheritdoc />
    public void Where(TensorStorage cond, TensorStorage a, TensorStorage b, TensorStorage y) =>
        PointwiseKernels.Where<double>(D(cond), D(a), D(b), D(y));
    /// <inheritdoc />
    public void Compare(CompareOp op, TensorStorage a, TensorStorage b, TensorStorage y) =>
        PointwiseKernels.Compare<double>(op, D(a), D(b), D(y));
}
