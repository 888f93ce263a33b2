namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void BatchNormStatistics(in AxisGeometry g, TensorStorage x, TensorStorage mean, TensorStorage variance)
    {
        SeamChecks.BatchNorm(g, "reference BatchNormStatistics", [("x", x.Length)], [("mean", mean.Length), ("variance", variance.Length)]);
        BatchNormKernels.Statistics<float>(g, Host(x), Host(mean), Host(variance));
    }

    /// <inheritdoc />
    public void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y)
    {
        SeamChecks.BatchNorm(g, "reference BatchNormForward", [("x", x.Length), ("y", y.Length)],
            [("mean", mean.Length), ("variance", variance.Length), ("gamma", gamma.Length), ("beta", beta.Length)]);
        BatchNormKernels.Forward<float>(g, eps, Host(x), Host(mean), Host(variance), Host(gamma), Host(beta), Host(y));
    }

    /// <inheritdoc />
    public void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    {
        SeamChecks.BatchNorm(g, "reference BatchNormBackward", [("x", x.Length), ("dy", dy.Length), ("dx", dx.Length)],
            [("mean", mean.Length), ("variance", variance.Length), ("gamma", gamma.Length), ("dgamma", dgamma.Length), ("dbeta", dbeta.Length)]);
        BatchNormKernels.Backward<float>(g, eps, training, Host(x), Host(mean), Host(variance), Host(gamma), Host(dy), Host(dx),
            Host(dgamma), Host(dbeta));
    }
}
