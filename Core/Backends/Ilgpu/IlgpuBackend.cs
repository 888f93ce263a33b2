using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>Host↔device copies made by one backend: counts and bytes each way.</summary>
public readonly record struct TransferCounts(long Uploads, long UploadedBytes, long Downloads, long DownloadedBytes)
{
    /// <summary>"3 up (1,240 B), 1 down (4 B)".</summary>
    public override string ToString() => $"{Uploads} up ({UploadedBytes:N0} B), {Downloads} down ({DownloadedBytes:N0} B)";
}

/// <summary>
/// The backend seam on an ILGPU accelerator (a CUDA or OpenCL GPU, or ILGPU's CPU accelerator, which simulates a
/// GPU for tests). Every entry runs as ILGPU kernels on the accelerator's default stream, and nothing waits for them
/// except a download. Storage lives in device memory (<see cref="IlgpuStorage"/>); host storage handed to an entry is
/// uploaded once and its device copy kept with it, so a data set, a loaded checkpoint or a constant crosses once.
/// Device memory is counted and bounded by <see cref="Memory"/>.
/// </summary>
public sealed partial class IlgpuBackend : IBackend
{
    private readonly ConditionalWeakTable<TensorStorage, IlgpuStorage> _uploads = new();
    private long _uploadCount, _uploadBytes, _downloadCount, _downloadBytes;

    /// <summary>A backend on <paramref name="accelerator"/>, whose device memory may hold at most <paramref name="budgetBytes"/>
    /// (default: the device's memory).</summary>
    public IlgpuBackend(Accelerator accelerator, long? budgetBytes = null)
    {
        Accelerator = accelerator;
        Memory = new DeviceMemory(accelerator, budgetBytes);
    }

    /// <summary>The accelerator every kernel runs on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Live and peak device bytes, and the budget.</summary>
    public DeviceMemory Memory { get; }

    /// <summary>Host↔device copies so far.</summary>
    public TransferCounts Transfers => new(Interlocked.Read(ref _uploadCount), Interlocked.Read(ref _uploadBytes),
        Interlocked.Read(ref _downloadCount), Interlocked.Read(ref _downloadBytes));

    /// <inheritdoc />
    public string Name => $"ilgpu {Accelerator.AcceleratorType.ToString().ToLowerInvariant()} ({Accelerator.Name})";

    /// <inheritdoc />
    public int Threads => 1;

    /// <inheritdoc />
    public TensorStorage Allocate(int length)
    {
        var s = New(length);
        if (length > 0) s.View.MemSetToZero(Accelerator.DefaultStream);
        return s;
    }

    /// <inheritdoc />
    public TensorStorage AllocateUninitialized(int length) => New(length);

    /// <inheritdoc />
    public IndexStorage AllocateIndices(int length) => new IlgpuIndexStorage(Memory.Allocate<int>(Math.Max(length, 1)), length);

    /// <inheritdoc />
    public TensorStorage Import(TensorStorage source) => source is IlgpuStorage d && d.Backend == this ? d : Upload(source);

    private IlgpuStorage New(int length) => new(this, Memory.Allocate<float>(Math.Max(length, 1)), length);

    /// <summary>The device elements of an input: this backend's own storage, or host data uploaded once and cached.</summary>
    internal ArrayView<float> In(TensorStorage s) => s is IlgpuStorage d && d.Backend == this ? d.View : Upload(s).View;

    /// <summary>An optional input; absent is the empty view.</summary>
    internal ArrayView<float> InOrEmpty(TensorStorage? s) => s is null ? default : In(s);

    /// <summary>The device elements of an output, which must be storage this backend allocated.</summary>
    /// <exception cref="NotSupportedException">The output lives elsewhere (kernels write only their own fresh buffers).</exception>
    internal ArrayView<float> Out(TensorStorage s)
    {
        if (s is not IlgpuStorage d || d.Backend != this)
            throw new NotSupportedException($"The {Name} backend writes only to storage it allocated, not to {s.GetType().Name}.");
        d.Written();
        return d.View;
    }

    internal ArrayView<float> OutOrEmpty(TensorStorage? s) => s is null ? default : Out(s);

    internal ArrayView<int> Indices(IndexStorage? s) => s switch
    {
        null => default,
        IlgpuIndexStorage d => d.View,
        _ => throw new NotSupportedException($"The {Name} backend keeps pooling indices on the device, not in {s.GetType().Name}."),
    };

    // One upload per host storage for as long as it lives: the table holds the device copy exactly as long as the key.
    private IlgpuStorage Upload(TensorStorage source) => _uploads.GetValue(source, s =>
    {
        var host = s.ToHost();
        var d = new IlgpuStorage(this, Memory.Allocate<float>(Math.Max(host.Length, 1)), host.Length, host);
        if (host.Length > 0) d.View.CopyFromCPU(Accelerator.DefaultStream, host.Span);
        Interlocked.Increment(ref _uploadCount);
        Interlocked.Add(ref _uploadBytes, 4L * host.Length);
        return d;
    });

    /// <summary>Waits for the stream and copies <paramref name="s"/> to a fresh host array.</summary>
    internal float[] Download(IlgpuStorage s)
    {
        var host = new float[s.Length];
        Accelerator.DefaultStream.Synchronize();
        if (host.Length > 0) s.View.CopyToCPU(Accelerator.DefaultStream, host.AsSpan());
        Interlocked.Increment(ref _downloadCount);
        Interlocked.Add(ref _downloadBytes, 4L * host.Length);
        return host;
    }

    /// <summary>Argmax indices back on the host (tests compare them with the other backends').</summary>
    public int[] Download(IndexStorage s)
    {
        var view = Indices(s);
        var host = new int[s.Length];
        Accelerator.DefaultStream.Synchronize();
        if (host.Length > 0) view.CopyToCPU(Accelerator.DefaultStream, host.AsSpan());
        Interlocked.Increment(ref _downloadCount);
        Interlocked.Add(ref _downloadBytes, 4L * host.Length);
        return host;
    }

    /// <summary>Waits until every enqueued kernel has finished (timings; nothing else needs it).</summary>
    public void Synchronize() => Accelerator.DefaultStream.Synchronize();
}
