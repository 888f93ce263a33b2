using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

// TEMPORARY placeholder with the agreed signatures; the real kernels replace this file at the merge.
internal static class ConvKernels
{
    public static void Forward(Accelerator accelerator, in ConvGeometry g, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y) =>
        throw new NotImplementedException("ILGPU conv kernels arrive with the kernels branch.");
    public static void BackwardData(Accelerator accelerator, in ConvGeometry g, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx) =>
        throw new NotImplementedException("ILGPU conv kernels arrive with the kernels branch.");
    public static void BackwardFilter(Accelerator accelerator, in ConvGeometry g, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, ArrayView<float> dbias) =>
        throw new NotImplementedException("ILGPU conv kernels arrive with the kernels branch.");
}
