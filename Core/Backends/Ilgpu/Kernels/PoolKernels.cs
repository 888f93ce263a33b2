using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

// TEMPORARY placeholder with the agreed signatures; the real kernels replace this file at the merge.
internal static class PoolKernels
{
    public static void Forward(Accelerator accelerator, in PoolGeometry g, ArrayView<float> x, ArrayView<float> y, ArrayView<int> argmax) =>
        throw new NotImplementedException("ILGPU pool kernels arrive with the kernels branch.");
    public static void Backward(Accelerator accelerator, in PoolGeometry g, ArrayView<float> dy, ArrayView<int> argmax, ArrayView<float> dx) =>
        throw new NotImplementedException("ILGPU pool kernels arrive with the kernels branch.");
}
