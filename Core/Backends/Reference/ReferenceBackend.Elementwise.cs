namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y)
    {
        SeamChecks.Unary(x.Length, y.Length, "reference Unary");
        ElementwiseKernels.Unary<float>(op, alpha, Host(x), Host(y));
    }

    /// <inheritdoc />
    public void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx)
    {
        SeamChecks.UnaryBackward(x.Length, y.Length, dy.Length, dx.Length, "reference UnaryBackward");
        ElementwiseKernels.UnaryBackward<float>(op, alpha, Host(x), Host(y), Host(dy), Host(dx));
    }

    /// <inheritdoc />
    public void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y)
    {
        SeamChecks.Binary(g, a.Length, b.Length, bPerAxis, y.Length, "reference Binary");
        ElementwiseKernels.Binary<float>(op, g, Host(a), Host(b), bPerAxis, Host(y));
    }
}
