using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;
using Functional.Backends.Ilgpu;

namespace Functional.Properties;

/// <summary>
/// The ILGPU backend under the agreement laws: ILGPU's CPU accelerator, which runs the same kernels a GPU compiles,
/// as a simulated GPU. It costs tens of microseconds per simulated thread, so these laws draw small shapes.
/// </summary>
internal static class BackendAgreementIlgpuKit
{
    public static IlgpuBackend Ilgpu => (IlgpuBackend)ExecutionContext.Ilgpu(IlgpuKind.Cpu).Backend;

    /// <summary>
    /// Seam entries whose ILGPU kernels are written on another branch: until it is merged their laws check nothing
    /// on ILGPU. The merge empties this list, and the laws below then run for them too.
    /// </summary>
    public static readonly IReadOnlySet<string> AwaitingKernels = new HashSet<string>
    {
        nameof(IBackend.ConvForward), nameof(IBackend.ConvBackwardData), nameof(IBackend.ConvBackwardFilter),
        nameof(IBackend.Pad), nameof(IBackend.PadBackward), nameof(IBackend.PoolForward), nameof(IBackend.PoolBackward),
        nameof(IBackend.Gemm),
    };

    /// <summary>The ILGPU rule for ReLU: NaN passes through (PyTorch's), where today's Reference kernel gives 0.
    /// Applied to the Reference output so the laws state the intended semantics; a no-op once Reference propagates too.</summary>
    public static float[] ReluPropagatesNaN(UnaryOp op, float[] x, float[] reference) =>
        op != UnaryOp.ReLU ? reference : reference.Select((v, i) => float.IsNaN(x[i]) ? x[i] : v).ToArray();
}
