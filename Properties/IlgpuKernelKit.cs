using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// ILGPU's CPU accelerator, shared by the ILGPU kernel laws and disposed after them. The device kind decides the
/// group limit and with it the tile edge (<c>LaunchSize.TileEdge</c>); the mode decides how the simulated threads
/// are scheduled. Timed on the two-core build machine over the conv and pool laws (busy machine, so ±50%; timed
/// with one output per thread, before the 2×2 register blocks roughly halved every time):
/// Default/Parallel 37 s (16 threads per group, a 4×4 group edge), AMD/Parallel 173 s, Default/Sequential 219 s,
/// Intel/Parallel 309 s; Nvidia/Parallel (1,024 per group, a 16×16 group edge) took 56 s and 137 s on the two conv
/// gradients alone, against 12 s and 8 s for Default. Small groups win because a barrier waits on every simulated
/// thread of its group, and the laws' shapes are small.
/// </summary>
public sealed class IlgpuCpuAccelerator : IDisposable
{
    /// <summary>The simulated device: <c>FUNCTIONAL_ILGPU_CPU</c> (Default, Intel, AMD, Nvidia…) overrides, for timing.</summary>
    public static readonly CPUDeviceKind Kind =
        Enum.Parse<CPUDeviceKind>(Environment.GetEnvironmentVariable("FUNCTIONAL_ILGPU_CPU") ?? nameof(CPUDeviceKind.Default));

    /// <summary>Thread scheduling: <c>FUNCTIONAL_ILGPU_MODE</c> (Auto, Sequential, Parallel) overrides, for timing.</summary>
    public static readonly CPUAcceleratorMode Mode =
        Enum.Parse<CPUAcceleratorMode>(Environment.GetEnvironmentVariable("FUNCTIONAL_ILGPU_MODE") ?? nameof(CPUAcceleratorMode.Parallel));

    private readonly Context context;

    /// <summary>The accelerator every kernel of the collection runs on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Creates the context and its one CPU accelerator.</summary>
    public IlgpuCpuAccelerator()
    {
        context = Context.Create(b => b.CPU(Kind));
        Accelerator = context.CreateCPUAccelerator(0, Mode);
    }

    /// <summary>Buffers for one kernel call, freed when it is disposed.</summary>
    public DeviceBuffers Buffers() => new(Accelerator);

    /// <inheritdoc />
    public void Dispose()
    {
        Accelerator.Dispose();
        context.Dispose();
    }
}

/// <summary>The laws that share <see cref="IlgpuCpuAccelerator"/>; they run one after another, as the simulator wants both cores.</summary>
[CollectionDefinition(Name)]
public sealed class IlgpuCollection : ICollectionFixture<IlgpuCpuAccelerator>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "ILGPU CPU accelerator";
}

/// <summary>Device copies of host arrays for one kernel call; reading one back waits for the queued kernels.</summary>
public sealed class DeviceBuffers(Accelerator accelerator) : IDisposable
{
    private readonly List<MemoryBuffer> owned = [];

    /// <summary>A device copy of <paramref name="values"/> (an empty array gives an empty view).</summary>
    public ArrayView<T> Upload<T>(T[] values) where T : unmanaged
    {
        if (values.Length == 0) return default;
        var buffer = accelerator.Allocate1D(values);
        owned.Add(buffer);
        return buffer.View.AsContiguous();
    }

    /// <summary>The contents of <paramref name="view"/> once every queued kernel has finished.</summary>
    public T[] Read<T>(ArrayView<T> view) where T : unmanaged
    {
        accelerator.Synchronize();
        var host = new T[view.Length];
        if (host.Length > 0) view.CopyToCPU(host);
        return host;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var b in owned) b.Dispose();
    }
}
