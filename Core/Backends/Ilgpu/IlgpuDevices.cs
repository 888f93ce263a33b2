using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Functional.Backends.Ilgpu;

/// <summary>Which kind of ILGPU accelerator to run on.</summary>
public enum IlgpuKind
{
    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,
    /// <summary>An OpenCL device ILGPU accepts (OpenCL C 2.0 with generic address space).</summary>
    OpenCL,
    /// <summary>ILGPU's CPU accelerator: a simulated GPU for tests; on a CPU the <c>cpu</c> backend is the fast one.</summary>
    Cpu,
}

/// <summary>What ILGPU reports about one device, for <c>devices</c> listings and logs.</summary>
/// <param name="ComputeCapability">CUDA's compute capability (e.g. "9.0"), or null for other kinds.</param>
public sealed record IlgpuDeviceInfo(IlgpuKind Kind, string Name, long MemoryBytes, int WarpSize, int MaxThreadsPerGroup,
    string? ComputeCapability)
{
    /// <summary>"cuda: NVIDIA H100 (79.1 GiB, warp 32, compute 9.0)".</summary>
    public override string ToString() =>
        $"{IlgpuDevices.Name(Kind)}: {Name} ({MemoryBytes / (double)(1L << 30):F1} GiB, warp {WarpSize}, {MaxThreadsPerGroup} threads per group" +
        $"{(ComputeCapability is null ? "" : $", compute {ComputeCapability}")})";
}

/// <summary>
/// Finding ILGPU's devices and opening one. One ILGPU context holds every device found; the best is CUDA, then
/// OpenCL, then the CPU accelerator. Each kind's accelerator is opened once per process and shared by every backend
/// on it, so each kernel is compiled once per process, not once per backend.
/// </summary>
public static class IlgpuDevices
{
    /// <summary>
    /// The simulated GPU the CPU accelerator models: ILGPU's default one, 16 threads per group (4 warps of 4) on one
    /// multiprocessor. Every simulated thread of a group is an operating-system thread, and a barrier waits for all
    /// of them, so small groups are what the simulator runs fastest (docs/gpu.md has the measurements). The backend and
    /// the kernel laws both run on this one configuration.
    /// </summary>
    public const CPUDeviceKind CpuDeviceKind = CPUDeviceKind.Default;

    /// <summary>How the CPU accelerator schedules its simulated threads: in parallel, on every core.</summary>
    public const CPUAcceleratorMode CpuMode = CPUAcceleratorMode.Parallel;

    private static readonly Lazy<Context> Shared = new(() => Context.Create(b => b
        .Cuda().OpenCL().CPU(CpuDeviceKind).Math(MathMode.Default).Optimize(OptimizationLevel.O1)));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<IlgpuKind, Lazy<Accelerator>> Opened = new();

    /// <summary>The process's one ILGPU context.</summary>
    internal static Context Context => Shared.Value;

    /// <summary>The kinds in order of preference.</summary>
    private static readonly IlgpuKind[] Preference = [IlgpuKind.Cuda, IlgpuKind.OpenCL, IlgpuKind.Cpu];

    /// <summary>Every device ILGPU found, in order of preference.</summary>
    public static IReadOnlyList<IlgpuDeviceInfo> List() =>
        Preference.SelectMany(k => Devices(k).Select(d => Info(k, d))).ToArray();

    /// <summary>The kind <c>ExecutionContext.Ilgpu()</c> picks: the first of CUDA, OpenCL, CPU that has a device.</summary>
    public static IlgpuKind Best() => Preference.First(k => Devices(k).Any());

    /// <summary>"cuda", "opencl" or "cpu": the names the CLI takes after <c>ilgpu:</c>.</summary>
    public static string Name(IlgpuKind kind) => kind switch
    {
        IlgpuKind.Cuda => "cuda",
        IlgpuKind.OpenCL => "opencl",
        _ => "cpu",
    };

    /// <summary>
    /// The process's accelerator on the first device of <paramref name="kind"/>, opened on first use and kept for the
    /// life of the process. Opening costs threads (the CPU accelerator's simulated ones) and every backend on it
    /// shares the kernels compiled for it, so it is never opened twice.
    /// </summary>
    /// <exception cref="InvalidOperationException">ILGPU found no such device; the message lists those it found.</exception>
    internal static Accelerator Open(IlgpuKind kind)
    {
        // Checked before the cache, so that asking for a missing kind fails every time rather than caching the failure.
        var device = Devices(kind).FirstOrDefault() ?? throw new InvalidOperationException(
            $"ILGPU found no {Name(kind)} device; it found: {string.Join("; ", List())}.");
        return Opened.GetOrAdd(kind, _ => new Lazy<Accelerator>(() =>
            device is CPUDevice cpu ? cpu.CreateCPUAccelerator(Context, CpuMode) : device.CreateAccelerator(Context))).Value;
    }

    /// <summary>The process's CPU accelerator, the one the <c>ilgpu:cpu</c> backend runs on (kernel tests launch on it directly).</summary>
    internal static Accelerator CpuAccelerator => Open(IlgpuKind.Cpu);

    // ILGPU registers only the OpenCL devices it can drive (OpenCL C 2.0 with a generic address space).
    private static IEnumerable<Device> Devices(IlgpuKind kind) => Context.Devices.Where(d => d.AcceleratorType == kind switch
    {
        IlgpuKind.Cuda => AcceleratorType.Cuda,
        IlgpuKind.OpenCL => AcceleratorType.OpenCL,
        _ => AcceleratorType.CPU,
    });

    /// <summary>The device's memory; the CPU accelerator reports no limit (long.MaxValue), so there it is the host's.</summary>
    internal static long MemoryOf(Device d) => d.AcceleratorType == AcceleratorType.CPU
        ? Math.Min(d.MemorySize, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)
        : d.MemorySize;

    private static IlgpuDeviceInfo Info(IlgpuKind kind, Device d) =>
        new(kind, d.Name, MemoryOf(d), d.WarpSize, d.MaxNumThreadsPerGroup,
            d is CudaDevice c ? $"{c.Architecture?.Major}.{c.Architecture?.Minor}" : null);
}
