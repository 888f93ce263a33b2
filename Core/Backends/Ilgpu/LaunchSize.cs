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
    /// The edge of a square group of threads that shares a memory tile: the largest power of two up to
    /// <paramref name="max"/> whose square fits in one group, and on the CPU accelerator in one simulated warp. There
    /// every simulated thread is an operating-system thread and a barrier waits for all of its group, so the fewer
    /// threads meet at each barrier, the faster the tiles go: a 2×2 group (ILGPU's default device has warps of 4)
    /// ran LeNet-5's training steps about twice as fast as 4×4 groups, and those ran 5–15 times as fast as the 16×16
    /// groups of an NVIDIA-like device (docs/gpu.md). Two threads or more still share every tile through shared memory.
    /// </summary>
    public static int TileEdge(Accelerator accelerator, int max = 16)
    {
        var threads = accelerator.AcceleratorType == AcceleratorType.CPU
            ? Math.Min(accelerator.MaxNumThreadsPerGroup, Math.Max(accelerator.WarpSize, 4))
            : accelerator.MaxNumThreadsPerGroup;
        var edge = 1;
        while (edge * 2 <= max && (edge * 2) * (edge * 2) <= threads) edge *= 2;
        return edge;
    }

    /// <summary>
    /// Groups of <paramref name="groupSize"/> threads for a kernel whose groups loop over <paramref name="tiles"/>
    /// work tiles (shared-memory tiled products): never more than the tiles; on a GPU as many as its
    /// multiprocessors keep resident, on the CPU accelerator the few hundred threads it simulates well.
    /// </summary>
    public static int TileGroups(Accelerator accelerator, long tiles, int groupSize)
    {
        long cap = accelerator.AcceleratorType == AcceleratorType.CPU
            ? Math.Max(1, SimulatedThreads / groupSize)
            : (long)accelerator.NumMultiprocessors * Math.Max(1, accelerator.MaxNumThreadsPerMultiprocessor / groupSize);
        return (int)Math.Clamp(tiles, 1, cap);
    }
}
