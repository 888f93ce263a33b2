namespace Functional.Backends;

/// <summary>
/// A conv forward with the ReLU after it run inside the conv's own kernels (on each tile or plane as it is stored,
/// not as a pass over the output), giving the bits of <see cref="IBackend.ConvForward"/> followed by the ReLU entry.
/// Not a seam entry: the inference plan uses it where the backend has it and otherwise makes the two calls.
/// </summary>
internal interface IConvReLUForward
{
    /// <summary>y = ReLU(x ⋆ w + b), as <see cref="IBackend.ConvForward"/> then <see cref="IBackend.Unary"/> with ReLU.</summary>
    void ConvReLUForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y);
}
