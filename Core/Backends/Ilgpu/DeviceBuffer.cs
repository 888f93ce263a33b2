using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// The handle of one device buffer. The buffer itself stays referenced by <see cref="DeviceMemory"/> until released,
/// so ILGPU never frees it behind the allocator's back; when the handle becomes unreachable its finalizer queues
/// the buffer for release.
/// </summary>
internal sealed class DeviceBuffer<T> where T : unmanaged
{
    private readonly DeviceMemory _memory;
    private readonly long _id;
    private readonly MemoryBuffer1D<T, Stride1D.Dense> _buffer;

    internal DeviceBuffer(DeviceMemory memory, long id, MemoryBuffer1D<T, Stride1D.Dense> buffer, long bytes)
    {
        (_memory, _id, _buffer) = (memory, id, buffer);
        Bytes = bytes;
    }

    ~DeviceBuffer() => _memory.Enqueue(_id);

    /// <summary>Size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>The whole buffer as a dense view for kernels.</summary>
    public ArrayView<T> View => _buffer.View;
}
