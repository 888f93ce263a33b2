namespace Functional.Backends.Reference;

// The convolution family and explicit padding, forwarded to the generic kernels in float.
public sealed partial class ReferenceBackend
{
    /// <inheritdoc />
    public void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y) =>
        ConvKernels.Forward<float>(g, Host(x), Host(w), HostOrEmpty(bias), Host(y));

    /// <inheritdoc />
    public void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx) =>
        ConvKernels.BackwardData<float>(g, Host(dy), Host(w), Host(dx));

    /// <inheritdoc />
    public void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias) =>
        ConvKernels.BackwardFilter<float>(g, Host(x), Host(dy), Host(dw), HostOrEmpty(dbias));

    /// <inheritdoc />
    public void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y) =>
        PadKernels.Forward<float>(g, mode, Host(x), Host(y));

    /// <inheritdoc />
    public void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx) =>
        PadKernels.Backward<float>(g, mode, Host(dy), Host(dx));
}
