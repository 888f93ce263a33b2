namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void Pointwise(PointOp op, float a, float b, TensorStorage x, TensorStorage y)
    {
        FunctionSeamChecks.SameLengths("reference Pointwise", x.Length, y.Length);
        PointwiseKernels.Forward<float>(op, a, b, Host(x), Host(y));
    }

    /// <inheritdoc />
    public void PointwiseBackward(PointOp op, float a, float b, TensorStorage x, TensorStorage dy, TensorStorage dx)
    {
        FunctionSeamChecks.SameLengths("reference PointwiseBackward", x.Length, dy.Length, dx.Length);
        PointwiseKernels.Backward<float>(op, a, b, Host(x), Host(dy), Host(dx));
    }

    /// <inheritdoc />
    public void Gather(in GatherGeometry g, TensorStorage src, TensorStorage dst)
    {
        FunctionSeamChecks.Gather(g, src.Length, dst.Length, "reference Gather");
        PointwiseKernels.Gather<float>(g, Host(src), Host(dst), 0, dst.Length);
    }

    /// <inheritdoc />
    public void Where(TensorStorage cond, TensorStorage a, TensorStorage b, TensorStorage y)
    {
        FunctionSeamChecks.SameLengths("reference Where", cond.Length, a.Length, b.Length, y.Length);
        PointwiseKernels.Where<float>(Host(cond), Host(a), Host(b), Host(y));
    }

    /// <inheritdoc />
    public void Compare(CompareOp op, TensorStorage a, TensorStorage b, TensorStorage y)
    {
        FunctionSeamChecks.SameLengths("reference Compare", a.Length, b.Length, y.Length);
        PointwiseKernels.Compare<float>(op, Host(a), Host(b), Host(y));
    }
}
