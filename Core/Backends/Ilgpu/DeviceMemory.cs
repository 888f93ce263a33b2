using System.Collections.Concurrent;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// The device memory of one accelerator, as one allocator that counts live bytes. The garbage collector sees only
/// the small handles of device buffers, never the buffers, so a GPU could fill up while the managed heap looks
/// empty. Three rules keep live bytes bounded: a handle whose tensor became unreachable is finalised into a release
/// queue (never freed on the finalizer thread, where a CUDA context is not current); the queue is drained on the
/// allocating thread after the stream has finished with the buffers; and when live bytes pass a threshold, or an
/// allocation would exceed <see cref="Budget"/>, a collection runs first so that every unreachable tensor is released.
/// </summary>
public sealed class DeviceMemory
{
    private readonly Accelerator _accelerator;
    private readonly object _gate = new();
    private readonly Dictionary<long, MemoryBuffer> _live = new();
    private readonly ConcurrentQueue<long> _released = new();
    private long _nextId, _liveBytes, _peakBytes, _collectAbove;

    /// <summary>Live bytes below which no collection is forced (so tiny workloads never pay for one).</summary>
    private const long MinimumCollectThreshold = 64L << 20;

    internal DeviceMemory(Accelerator accelerator, long? budget)
    {
        _accelerator = accelerator;
        Budget = budget ?? (accelerator.AcceleratorType == AcceleratorType.CPU
            ? Math.Min(accelerator.MemorySize, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)   // it reports no limit
            : accelerator.MemorySize);
        _collectAbove = Math.Min(MinimumCollectThreshold, Budget / 2);
    }

    /// <summary>The most bytes this allocator may hold at once: by default the device's memory (for the CPU accelerator,
    /// the memory available to this process).</summary>
    public long Budget { get; }

    /// <summary>Bytes of device buffers allocated and not yet released.</summary>
    public long LiveBytes => Interlocked.Read(ref _liveBytes);

    /// <summary>The largest <see cref="LiveBytes"/> seen since creation or the last <see cref="ResetPeak"/>.</summary>
    public long PeakBytes => Interlocked.Read(ref _peakBytes);

    /// <summary>Buffers allocated and not yet released.</summary>
    public int LiveBuffers { get { lock (_gate) return _live.Count; } }

    /// <summary>Starts measuring the peak again from the current live bytes.</summary>
    public void ResetPeak() => Interlocked.Exchange(ref _peakBytes, LiveBytes);

    /// <summary>
    /// Releases every buffer whose tensor is no longer reachable: a full collection, the finalizers, then the
    /// release queue. Tests call it to read the bytes that live tensors really hold.
    /// </summary>
    public void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Drain();
    }

    /// <summary>A dense buffer of <paramref name="length"/> elements of <typeparamref name="T"/>, contents unspecified.</summary>
    /// <exception cref="DeviceMemoryException">It would take live bytes past <see cref="Budget"/> even after a collection.</exception>
    internal DeviceBuffer<T> Allocate<T>(int length) where T : unmanaged
    {
        var bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        Drain();
        if (LiveBytes + bytes > _collectAbove || LiveBytes + bytes > Budget)
        {
            Collect();
            // Collect again only once live bytes have doubled, so steady training pays one collection per few steps.
            _collectAbove = Math.Max(Math.Min(MinimumCollectThreshold, Budget / 2), Math.Min(2 * (LiveBytes + bytes), Budget));
        }
        if (LiveBytes + bytes > Budget)
            throw new DeviceMemoryException(bytes, LiveBytes, Budget, _accelerator.Name);
        var buffer = _accelerator.Allocate1D<T>(length);
        long id;
        lock (_gate)
        {
            id = ++_nextId;
            _live.Add(id, buffer);
        }
        var live = Interlocked.Add(ref _liveBytes, bytes);
        long peak;
        while (live > (peak = Interlocked.Read(ref _peakBytes)) && Interlocked.CompareExchange(ref _peakBytes, live, peak) != peak) { }
        return new DeviceBuffer<T>(this, id, buffer, bytes);
    }

    /// <summary>Called by a handle's finalizer: queue the buffer for release on an allocating thread.</summary>
    internal void Enqueue(long id) => _released.Enqueue(id);

    /// <summary>Frees the queued buffers once the stream can no longer be reading them.</summary>
    internal void Drain()
    {
        if (_released.IsEmpty) return;
        _accelerator.DefaultStream.Synchronize();
        while (_released.TryDequeue(out var id))
        {
            MemoryBuffer? buffer;
            lock (_gate) _live.Remove(id, out buffer);
            if (buffer is null) continue;
            Interlocked.Add(ref _liveBytes, -buffer.LengthInBytes);
            buffer.Dispose();
        }
    }
}

/// <summary>
/// An allocation would take the device past its memory budget, even after every unreachable tensor was released.
/// </summary>
public sealed class DeviceMemoryException : InvalidOperationException
{
    internal DeviceMemoryException(long requested, long live, long budget, string device)
        : base(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Out of device memory on {device}: {requested:N0} bytes requested while {live:N0} bytes are live, and the budget is {budget:N0} bytes. Use a smaller batch or model, or a larger budget."))
        => (RequestedBytes, LiveBytes, BudgetBytes) = (requested, live, budget);

    /// <summary>The size of the allocation that failed.</summary>
    public long RequestedBytes { get; }

    /// <summary>Bytes live when it failed.</summary>
    public long LiveBytes { get; }

    /// <summary>The allocator's budget.</summary>
    public long BudgetBytes { get; }
}
