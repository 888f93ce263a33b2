namespace Functional.Backends.Reference;

// The convolution family and explicit padding, forwarded to the generic kernels in float.
public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y)
    {
        SeamChecks.Conv(g, x.Length, w.Length, bias?.Length, y.Length, "reference ConvForward");
        ConvKernels.Forward<float>(g, Host(x), Host(w), HostOrEmpty(bias), Host(y));
    }

    /// <inheritdoc />
    public void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx)
    {
        SeamChecks.Conv(g, dx.Length, w.Length, null, dy.Length, "reference ConvBackwardData");
        ConvKernels.BackwardData<float>(g, Host(dy), Host(w), Host(dx));
    }

    /// <inheritdoc />
    public void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias)
    {
        SeamChecks.Conv(g, x.Length, dw.Length, dbias?.Length, dy.Length, "reference ConvBackwardFilter");
        ConvKernels.BackwardFilter<float>(g, Host(x), Host(dy), Host(dw), HostOrEmpty(dbias));
    }

    /// <inheritdoc />
    public void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y)
    {
        SeamChecks.Pad(g, x.Length, y.Length, "reference Pad");
        PadKernels.Forward<float>(g, mode, Host(x), Host(y));
    }

    /// <inheritdoc />
    public void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx)
    {
        SeamChecks.Pad(g, dx.Length, dy.Length, "reference PadBackward");
        PadKernels.Backward<float>(g, mode, Host(dy), Host(dx));
    }
}
