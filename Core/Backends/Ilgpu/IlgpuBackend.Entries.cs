namespace Functional.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc />
    public void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y)
    {
        SeamChecks.Conv(g, x.Length, w.Length, bias?.Length, y.Length, "ilgpu ConvForward");
        ConvKernels.Forward(Accelerator, g, In(x), In(w), InOrEmpty(bias), Out(y));
    }

    /// <inheritdoc />
    public void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx)
    {
        SeamChecks.Conv(g, dx.Length, w.Length, null, dy.Length, "ilgpu ConvBackwardData");
        ConvKernels.BackwardData(Accelerator, g, In(dy), In(w), Out(dx));
    }

    /// <inheritdoc />
    public void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias)
    {
        SeamChecks.Conv(g, x.Length, dw.Length, dbias?.Length, dy.Length, "ilgpu ConvBackwardFilter");
        ConvKernels.BackwardFilter(Accelerator, g, In(x), In(dy), Out(dw), OutOrEmpty(dbias));
    }

    /// <inheritdoc />
    public void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y)
    {
        SeamChecks.Pad(g, x.Length, y.Length, "ilgpu Pad");
        PadKernels.Forward(Accelerator, g, mode, In(x), Out(y));
    }

    /// <inheritdoc />
    public void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx)
    {
        SeamChecks.Pad(g, dx.Length, dy.Length, "ilgpu PadBackward");
        PadKernels.Backward(Accelerator, g, mode, In(dy), Out(dx));
    }

    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax)
    {
        SeamChecks.Pool(g, x.Length, y.Length, argmax?.Length, "ilgpu PoolForward");
        PoolKernels.Forward(Accelerator, g, In(x), Out(y), Indices(argmax));
    }

    /// <inheritdoc />
    public void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx)
    {
        SeamChecks.Pool(g, dx.Length, dy.Length, argmax?.Length, "ilgpu PoolBackward");
        PoolKernels.Backward(Accelerator, g, In(dy), Indices(argmax), Out(dx));
    }

    /// <inheritdoc />
    public void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c)
    {
        SeamChecks.Gemm(g, a.Length, b.Length, c.Length, "ilgpu Gemm");
        // C is read as well as written when β ≠ 0; Out keeps its device contents and only drops a stale host copy.
        GemmKernels.Gemm(Accelerator, g, In(a), In(b), Out(c));
    }

    /// <inheritdoc />
    public void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y)
    {
        SeamChecks.Unary(x.Length, y.Length, "ilgpu Unary");
        ElementwiseKernels.Unary(Accelerator, op, alpha, In(x), Out(y));
    }

    /// <inheritdoc />
    public void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx)
    {
        SeamChecks.UnaryBackward(x.Length, y.Length, dy.Length, dx.Length, "ilgpu UnaryBackward");
        ElementwiseKernels.UnaryBackward(Accelerator, op, alpha, In(x), In(y), In(dy), Out(dx));
    }

    /// <inheritdoc />
    public void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y)
    {
        SeamChecks.Binary(g, a.Length, b.Length, bPerAxis, y.Length, "ilgpu Binary");
        ElementwiseKernels.Binary(Accelerator, op, g, In(a), In(b), bPerAxis, Out(y));
    }

    /// <inheritdoc />
    public void Copy(in CopyGeometry g, TensorStorage src, TensorStorage dst)
    {
        SeamChecks.Copy(g, src.Length, dst.Length, "ilgpu Copy");
        ElementwiseKernels.Copy(Accelerator, g, In(src), Out(dst));
    }

    /// <inheritdoc />
    public void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y)
    {
        SeamChecks.Reduce(g, x.Length, keepAxis, y.Length, "ilgpu Reduce");
        ReduceKernels.Reduce(Accelerator, op, g, In(x), keepAxis, Out(y));
    }

    /// <inheritdoc />
    public void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y)
    {
        SeamChecks.Softmax(g, x.Length, y.Length, null, "ilgpu Softmax");
        ReduceKernels.Softmax(Accelerator, g, log, In(x), Out(y));
    }

    /// <inheritdoc />
    public void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx)
    {
        SeamChecks.Softmax(g, dx.Length, y.Length, dy.Length, "ilgpu SoftmaxBackward");
        ReduceKernels.SoftmaxBackward(Accelerator, g, log, In(y), In(dy), Out(dx));
    }
}
