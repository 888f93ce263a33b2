namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax)
    {
        SeamChecks.Pool(g, x.Length, y.Length, argmax?.Length, "reference PoolForward");
        PoolKernels.Forward<float>(g, Host(x), Host(y), argmax is null ? [] : Host(argmax));
    }

    /// <inheritdoc />
    public void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx)
    {
        SeamChecks.Pool(g, dx.Length, dy.Length, argmax?.Length, "reference PoolBackward");
        PoolKernels.Backward<float>(g, Host(dy), argmax is null ? [] : Host(argmax), Host(dx));
    }
}
