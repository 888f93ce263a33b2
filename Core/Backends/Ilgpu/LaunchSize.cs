using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// Launch sizes chosen per accelerator from its reported limits. Kernels are grid-stride loops, so any thread count
/// is correct; only speed depends on it. A GPU wants enough threads to fill every multiprocessor; ILGPU's CPU
/// accelerator simulates each thread at tens of microseconds and each barrier at far more, so there a few hundred
/// threads over cheap elements beat one thread per element by two orders of magnitude.
/// </summary>
internal static class LaunchSize
{
    /// <summary>
    /// Threads for the CPU accelerator's grid-stride loops. Large element counts cost about the same from 64 to 1,024
    /// threads (notes/ilgpu.md), but a training step is hundreds of launches over small tensors, where every simulated
    /// thread and warp adds launch cost: one or two warps measured fastest (docs/gpu.md).
    /// </summary>
    private const int SimulatedThreads = 64;

    /// <summary>Threads per group for one-dimensional grid-stride launches, within the device's group limit; on the CPU
    /// accelerator one simulated warp.</summary>
    public static int GroupSize(Accelerator accelerator) =>
        Math.Min(accelerator.AcceleratorType == AcceleratorType.CPU ? Math.Max(accelerator.WarpSize, 1) : 256, accelerator.MaxNumThreadsPerGroup);

    /// <summary>
    /// Total threads for a grid-stride loop over <paramref name="work"/> independent items: never more than the
    /// work, a multiple of <see cref="GroupSize"/>, and on a GPU at most enough to keep every multiprocessor full.
    /// </summary>
    public static int GridStrideThreads(Accelerator accelerator, long work)
    {
        var group = GroupSize(accelerator);
        long cap = accelerator.AcceleratorType == AcceleratorType.CPU
            ? SimulatedThreads
            : (long)accelerator.NumMultiprocessors * Math.Max(accelerator.MaxNumThreadsPerMultiprocessor, group);
        var wanted = Math.Min(cap, Math.Max(work, 1));
        return (int)((wanted + group - 1) / group * group);
    }

    /// <summary>The launch of a grid-stride loop over <paramref name="work"/> items: whole groups of <see cref="GroupSize"/>.</summary>
    public static KernelConfig GridStride(Accelerator accelerator, long work)
    {
        var group = GroupSize(accelerator);
        return new KernelConfig(GridStrideThreads(accelerator, work) / group, group);
    }

    /// <summary>
    /// The edge of a square shared-memory tile: the largest power of two up to <paramref name="max"/> whose square
    /// fits in one group. The CPU accelerator's default device allows only 16 threads per group (4×4 tiles).
    /// </summary>
    public static int TileEdge(Accelerator accelerator, int max = 16)
    {
        var edge = 1;
        while (edge * 2 <= max && (edge * 2) * (edge * 2) <= accelerator.MaxNumThreadsPerGroup) edge *= 2;
        return edge;
    }
}
