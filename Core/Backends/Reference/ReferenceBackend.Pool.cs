namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax) =>
        PoolKernels.Forward<float>(g, Host(x), Host(y), argmax is null ? [] : Host(argmax));

    /// <inheritdoc />
    public void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx) =>
        PoolKernels.Backward<float>(g, Host(dy), argmax is null ? [] : Host(argmax), Host(dx));
}
