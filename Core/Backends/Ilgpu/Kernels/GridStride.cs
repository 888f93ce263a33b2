using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>Launch shape and loop bounds of the one-dimensional grid-stride kernels (pad, pool).</summary>
internal static class GridStride
{
    /// <summary>A launch of <see cref="LaunchSize.GridStrideThreads"/> threads for <paramref name="work"/> items.</summary>
    public static KernelConfig Config(Accelerator accelerator, long work)
    {
        var group = LaunchSize.GroupSize(accelerator);
        return new KernelConfig(LaunchSize.GridStrideThreads(accelerator, work) / group, group);
    }

    /// <summary>This thread's first item.</summary>
    public static int First => Grid.GlobalIndex.X;

    /// <summary>The distance between one thread's items: every thread of the launch.</summary>
    public static int Step => Grid.DimX * Group.DimX;
}
