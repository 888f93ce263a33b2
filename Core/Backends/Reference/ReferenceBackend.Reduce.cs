namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y)
    {
        SeamChecks.Reduce(g, x.Length, keepAxis, y.Length, "reference Reduce");
        ReduceKernels.Reduce<float>(op, g, Host(x), keepAxis, Host(y));
    }
}
