using ILGPU;
using ILGPU.Runtime;
using Functional.Backends.Ilgpu;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// ILGPU's CPU accelerator for the ILGPU kernel laws: the very one the <c>ilgpu:cpu</c> backend runs on
/// (<c>IlgpuDevices.CpuAccelerator</c>: one device kind, one mode, one compiled set of kernels per process), so the
/// laws check the tile edges and launch sizes the backend really uses. The process owns it; the laws only borrow it.
/// </summary>
public sealed class IlgpuCpuAccelerator : IDisposable
{
    /// <summary>The accelerator every kernel of the collection runs on.</summary>
    public Accelerator Accelerator { get; } = IlgpuDevices.CpuAccelerator;

    /// <summary>Buffers for one kernel call, freed when it is disposed.</summary>
    public DeviceBuffers Buffers() => new(Accelerator);

    /// <summary>Nothing to release: the accelerator lives as long as the process, shared with the backend.</summary>
    public void Dispose() { }
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
