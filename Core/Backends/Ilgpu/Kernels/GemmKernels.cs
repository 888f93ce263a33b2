using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

// TEMPORARY placeholder with the agreed signatures; the real kernels replace this file at the merge.
internal static class GemmKernels
{
    public static void Gemm(Accelerator accelerator, in GemmGeometry g, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c) =>
        throw new NotImplementedException("ILGPU GEMM kernels arrive with the kernels branch.");
}
