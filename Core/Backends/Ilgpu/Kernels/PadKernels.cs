using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

// TEMPORARY placeholder with the agreed signatures; the real kernels replace this file at the merge.
internal static class PadKernels
{
    public static void Forward(Accelerator accelerator, in PadGeometry g, PaddingMode mode, ArrayView<float> x, ArrayView<float> y) =>
        throw new NotImplementedException("ILGPU pad kernels arrive with the kernels branch.");
    public static void Backward(Accelerator accelerator, in PadGeometry g, PaddingMode mode, ArrayView<float> dy, ArrayView<float> dx) =>
        throw new NotImplementedException("ILGPU pad kernels arrive with the kernels branch.");
}
