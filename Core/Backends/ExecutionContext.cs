using System.Collections.Concurrent;
using Functional.Backends.Cpu;
using Functional.Backends.Ilgpu;
using Functional.Backends.Reference;

namespace Functional.Backends;

/// <summary>
/// Where operations run: a backend and its thread count, as an immutable value carried by whatever runs the
/// operations (a model, a trainer, a test). There is deliberately no global default to trip over.
/// </summary>
public sealed record ExecutionContext
{
    /// <summary>Wraps a backend instance; its thread count is the backend's own.</summary>
    public ExecutionContext(IBackend backend) => Backend = backend;

    /// <summary>The backend that runs every kernel.</summary>
    public IBackend Backend { get; }

    /// <summary>Threads the backend uses.</summary>
    public int Threads => Backend.Threads;

    /// <summary>The naive, single-threaded Reference backend: the test oracle.</summary>
    public static ExecutionContext Reference { get; } = new(new ReferenceBackend());

    /// <summary>
    /// The fast CPU backend on <paramref name="threads"/> threads (0: one per core). Results are bit-identical for
    /// any thread count. One backend, with its persistent workers, is shared per thread count.
    /// </summary>
    public static ExecutionContext Cpu(int threads = 0)
    {
        var n = threads == 0 ? Environment.ProcessorCount : threads;
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Thread count must be positive, or 0 for one per core.");
        // Lazy, so that two threads asking at once cannot both start a set of workers.
        return CpuContexts.GetOrAdd(n, t => new Lazy<ExecutionContext>(() => new ExecutionContext(new CpuBackend(t)))).Value;
    }

    private static readonly ConcurrentDictionary<int, Lazy<ExecutionContext>> CpuContexts = new();

    /// <summary>
    /// The ILGPU backend on the best accelerator ILGPU finds: a CUDA GPU, else an OpenCL one, else ILGPU's CPU
    /// accelerator (a simulated GPU, for tests: on a CPU, <see cref="Cpu"/> is the fast backend). One backend, with
    /// its device memory, is shared per accelerator kind.
    /// </summary>
    public static ExecutionContext Ilgpu() => Ilgpu(IlgpuDevices.Best());

    /// <summary>The ILGPU backend on the first device of <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidOperationException">ILGPU found no such device; the message lists those it found.</exception>
    public static ExecutionContext Ilgpu(IlgpuKind kind) =>
        IlgpuContexts.GetOrAdd(kind, k => new Lazy<ExecutionContext>(() => new ExecutionContext(new IlgpuBackend(IlgpuDevices.Open(k))))).Value;

    /// <summary>
    /// A fresh ILGPU backend of its own on <paramref name="kind"/> whose device memory may hold at most
    /// <paramref name="budgetBytes"/>: for tests of running out, and for sharing a GPU with other work. It counts its
    /// own live bytes and transfers, but runs on the process's one accelerator of that kind, whose compiled kernels
    /// every backend shares.
    /// </summary>
    public static ExecutionContext Ilgpu(IlgpuKind kind, long budgetBytes) =>
        new(new IlgpuBackend(IlgpuDevices.Open(kind), budgetBytes));

    private static readonly ConcurrentDictionary<IlgpuKind, Lazy<ExecutionContext>> IlgpuContexts = new();

    /// <summary>"reference (1 thread)".</summary>
    public override string ToString() => $"{Backend.Name} ({Threads} thread{(Threads == 1 ? "" : "s")})";
}
