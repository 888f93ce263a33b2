namespace Functional.Backends.Reference;

// Seam entries whose reference kernels are still being written. Each moves to its own family file.
public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax) => throw new NotImplementedException();
    /// <inheritdoc />
    public void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y) => throw new NotImplementedException();
    /// <inheritdoc />
    public void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y) => throw new NotImplementedException();
    /// <inheritdoc />
    public void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y) => throw new NotImplementedException();
    /// <inheritdoc />
    public void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx) => throw new NotImplementedException();
}
