namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y) =>
        ElementwiseKernels.Unary<float>(op, alpha, Host(x), Host(y));

    /// <inheritdoc />
    public void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx) =>
        ElementwiseKernels.UnaryBackward<float>(op, alpha, Host(x), Host(y), Host(dy), Host(dx));

    /// <inheritdoc />
    public void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y) =>
        ElementwiseKernels.Binary<float>(op, g, Host(a), Host(b), bPerAxis, Host(y));
}
