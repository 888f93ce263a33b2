using Functional.Backends;
using Functional.Backends.Ilgpu;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Properties;

/// <summary>
/// The ILGPU backend under the agreement laws: ILGPU's CPU accelerator, which runs the same kernels a GPU compiles,
/// as a simulated GPU. It costs tens of microseconds per simulated thread, so these laws draw small shapes.
/// </summary>
internal static class BackendAgreementIlgpuKit
{
    public static IlgpuBackend Ilgpu => (IlgpuBackend)ExecutionContext.Ilgpu(IlgpuKind.Cpu).Backend;
}
