namespace Functional.Backends.Reference;

public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y)
    {
        SeamChecks.Softmax(g, x.Length, y.Length, null, "reference Softmax");
        SoftmaxKernels.Forward<float>(g, log, Host(x), Host(y));
    }

    /// <inheritdoc />
    public void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx)
    {
        // dx plays the role of x: the same length as y.
        SeamChecks.Softmax(g, dx.Length, y.Length, dy.Length, "reference SoftmaxBackward");
        SoftmaxKernels.Backward<float>(g, log, Host(y), Host(dy), Host(dx));
    }
}
