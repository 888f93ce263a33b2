namespace Functional.Backends.Cpu;

public sealed partial class CpuBackend
{
    // The block's intermediates (the conv output, the masked pooled gradient) live here between steps.
    private readonly StoragePool _blockScratch = new();

    /// <inheritdoc />
    /// <remarks>The interface's sequence of entries, with the conv's output in pooled scratch.</remarks>
    public void ConvReLUMaxPoolForward(in ConvGeometry conv, in PoolGeometry pool, TensorStorage x, TensorStorage w, TensorStorage? bias,
        TensorStorage y, IndexStorage argmax)
    {
        var z = _blockScratch.Rent(conv.OutputLength);
        try
        {
            ConvForward(conv, x, w, bias, z);
            Unary(UnaryOp.ReLU, 0f, z, z);
            PoolForward(pool, z, y, argmax);
        }
        finally { _blockScratch.Return(z); }
    }

    /// <inheritdoc />
    /// <remarks>The interface's sequence of entries, with the masked and the scattered gradients in pooled scratch.</remarks>
    public void ConvReLUMaxPoolBackward(in ConvGeometry conv, in PoolGeometry pool, TensorStorage x, TensorStorage w, TensorStorage y,
        IndexStorage argmax, TensorStorage dy, TensorStorage? dx, TensorStorage dw, TensorStorage? dbias)
    {
        var masked = _blockScratch.Rent(dy.Length);
        var dz = _blockScratch.Rent(conv.OutputLength);
        try
        {
            UnaryBackward(UnaryOp.ReLU, 0f, y, y, dy, masked);
            PoolBackward(pool, masked, argmax, dz);
            if (dx is not null) ConvBackwardData(conv, dz, w, dx);
            ConvBackwardFilter(conv, x, dz, dw, dbias);
        }
        finally
        {
            _blockScratch.Return(dz);
            _blockScratch.Return(masked);
        }
    }
}
