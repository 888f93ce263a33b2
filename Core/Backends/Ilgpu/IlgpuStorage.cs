using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// Tensor storage in device memory. Storage is immutable once its kernel has written it, so the first
/// <see cref="ToHost"/> downloads it and keeps the copy: reading a tensor twice crosses the bus once.
/// </summary>
public sealed class IlgpuStorage : TensorStorage
{
    private readonly DeviceBuffer<float> _buffer;
    private ReadOnlyMemory<float>? _host;

    internal IlgpuStorage(IlgpuBackend backend, DeviceBuffer<float> buffer, int length, ReadOnlyMemory<float>? host = null)
    {
        (Backend, _buffer, Length, _host) = (backend, buffer, length, host);
    }

    /// <summary>The backend whose accelerator holds the buffer.</summary>
    internal IlgpuBackend Backend { get; }

    /// <inheritdoc />
    public override int Length { get; }

    /// <summary>The elements on the device.</summary>
    internal ArrayView<float> View => _buffer.View.SubView(0, Length);

    /// <summary>Called when a kernel writes this storage: a cached host copy would be stale.</summary>
    internal void Written() => _host = null;

    /// <inheritdoc />
    public override ReadOnlyMemory<float> ToHost() => _host ??= Backend.Download(this);

    internal override IBackend? Owner => Backend;
}

/// <summary>Index storage (max-pool argmax) in device memory.</summary>
public sealed class IlgpuIndexStorage : IndexStorage
{
    private readonly DeviceBuffer<int> _buffer;

    internal IlgpuIndexStorage(DeviceBuffer<int> buffer, int length) => (_buffer, Length) = (buffer, length);

    /// <inheritdoc />
    public override int Length { get; }

    /// <summary>The entries on the device.</summary>
    internal ArrayView<int> View => _buffer.View.SubView(0, Length);
}
