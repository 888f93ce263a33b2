namespace Functional.Backends.Cpu;

/// <summary>
/// Exact-length host buffers for the intermediates of a fused seam entry (a conv's full-size output inside the
/// conv, ReLU, max-pool block). They are kernel scratch: rented and returned within one seam call, never wrapped
/// in a tensor, so reusing them never breaks a tensor's ownership of its storage. A training step repeats its
/// shapes, so after the first step these intermediates stop allocating. At most <see cref="MaxFloats"/> floats
/// are kept; a buffer returned beyond that is left to the collector.
/// </summary>
internal sealed class StoragePool
{
    /// <summary>256 MiB of floats: room for every block of a large batch, far below a machine's memory.</summary>
    public const long MaxFloats = 1L << 26;

    private readonly Dictionary<int, Stack<HostStorage>> _free = [];
    private long _kept;

    /// <summary>A buffer of exactly <paramref name="length"/> floats with unspecified contents.</summary>
    public HostStorage Rent(int length)
    {
        lock (_free)
        {
            if (_free.TryGetValue(length, out var stack) && stack.TryPop(out var buffer))
            {
                _kept -= length;
                return buffer;
            }
        }
        return new HostStorage(GC.AllocateUninitializedArray<float>(length));
    }

    /// <summary>Takes back a buffer from <see cref="Rent"/>; the caller must not touch it again.</summary>
    public void Return(HostStorage buffer)
    {
        lock (_free)
        {
            if (_kept + buffer.Length > MaxFloats) return;
            if (!_free.TryGetValue(buffer.Length, out var stack)) _free[buffer.Length] = stack = new Stack<HostStorage>();
            stack.Push(buffer);
            _kept += buffer.Length;
        }
    }
}
