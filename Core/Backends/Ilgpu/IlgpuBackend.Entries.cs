namespace Functional.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc />
    public void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y) =>
        ConvKernels.Forward(Accelerator, g, In(x), In(w), InOrEmpty(bias), Out(y));

    /// <inheritdoc />
    public void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx) =>
        ConvKernels.BackwardData(Accelerator, g, In(dy), In(w), Out(dx));

    /// <inheritdoc />
    public void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias) =>
        ConvKernels.BackwardFilter(Accelerator, g, In(x), In(dy), Out(dw), OutOrEmpty(dbias));

    /// <inheritdoc />
    public void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y) =>
        PadKernels.Forward(Accelerator, g, mode, In(x), Out(y));

    /// <inheritdoc />
    public void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx) =>
        PadKernels.Backward(Accelerator, g, mode, In(dy), Out(dx));

    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax) =>
        PoolKernels.Forward(Accelerator, g, In(x), Out(y), Indices(argmax));

    /// <inheritdoc />
    public void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx) =>
        PoolKernels.Backward(Accelerator, g, In(dy), Indices(argmax), Out(dx));

    /// <inheritdoc />
    public void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c)
    {
        // C is read as well as written when β ≠ 0; Out keeps its device contents and only drops a stale host copy.
        GemmKernels.Gemm(Accelerator, g, In(a), In(b), Out(c));
    }

    /// <inheritdoc />
    public void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y) =>
        ElementwiseKernels.Unary(Accelerator, op, alpha, In(x), Out(y));

    /// <inheritdoc />
    public void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx) =>
        ElementwiseKernels.UnaryBackward(Accelerator, op, alpha, In(x), In(y), In(dy), Out(dx));

    /// <inheritdoc />
    public void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y) =>
        ElementwiseKernels.Binary(Accelerator, op, g, In(a), In(b), bPerAxis, Out(y));

    /// <inheritdoc />
    public void Copy(in CopyGeometry g, TensorStorage src, TensorStorage dst) =>
        ElementwiseKernels.Copy(Accelerator, g, In(src), Out(dst));

    /// <inheritdoc />
    public void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y) =>
        ReduceKernels.Reduce(Accelerator, op, g, In(x), keepAxis, Out(y));

    /// <inheritdoc />
    public void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y) =>
        ReduceKernels.Softmax(Accelerator, g, log, In(x), Out(y));

    /// <inheritdoc />
    public void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx) =>
        ReduceKernels.SoftmaxBackward(Accelerator, g, log, In(y), In(dy), Out(dx));
}
