namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void BatchNormStatistics(in AxisGeometry g, TensorStorage x, TensorStorage mean, TensorStorage variance) =>
        BatchNormKernels.Statistics<float>(g, Host(x), Host(mean), Host(variance));

    /// <inheritdoc />
    public void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y) =>
        BatchNormKernels.Forward<float>(g, eps, Host(x), Host(mean), Host(variance), Host(gamma), Host(beta), Host(y));

    /// <inheritdoc />
    public void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta) =>
        BatchNormKernels.Backward<float>(g, eps, training, Host(x), Host(mean), Host(variance), Host(gamma), Host(dy), Host(dx),
            Host(dgamma), Host(dbeta));
}
