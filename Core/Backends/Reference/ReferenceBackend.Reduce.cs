namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y) =>
        ReduceKernels.Reduce<float>(op, g, Host(x), keepAxis, Host(y));
}
