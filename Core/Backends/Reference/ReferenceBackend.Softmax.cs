namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y) =>
        SoftmaxKernels.Forward<float>(g, log, Host(x), Host(y));

    /// <inheritdoc />
    public void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx) =>
        SoftmaxKernels.Backward<float>(g, log, Host(y), Host(dy), Host(dx));
}
