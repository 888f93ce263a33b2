namespace Functional;

/// <summary>
/// The memory behind a tensor. A tensor owns its storage for its whole life and tensors are shared freely, so
/// storage is never pooled or recycled (only kernel scratch space is). A device backend adds its own subclass
/// holding device buffers; Tensor's public API does not change.
/// </summary>
public abstract class TensorStorage
{
    /// <summary>Number of float32 elements.</summary>
    public abstract int Length { get; }

    /// <summary>The elements as host memory, copying from a device if the storage lives elsewhere.</summary>
    public abstract ReadOnlyMemory<float> ToHost();

    /// <summary>
    /// The backend holding this storage in its own memory, or null for host memory that any host backend reads.
    /// Operations that are not given a context (an optimizer step over bare trees) run where their data lives.
    /// </summary>
    internal virtual Backends.IBackend? Owner => null;
}

/// <summary>Storage in managed host memory: a float array owned by exactly one tensor lineage.</summary>
public sealed class HostStorage : TensorStorage
{
    /// <summary>Wraps <paramref name="data"/> without copying; the caller gives up the right to mutate it.</summary>
    internal HostStorage(float[] data) => Data = data;

    /// <summary>The elements. Only kernels writing a freshly allocated output may mutate them.</summary>
    internal float[] Data { get; }

    /// <inheritdoc />
    public override int Length => Data.Length;

    /// <inheritdoc />
    public override ReadOnlyMemory<float> ToHost() => Data;
}
