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
/// OpenCL, then the CPU accelerator. The CPU accelerator is created as an NVIDIA-like device (1,024 threads per
/// group, warp 32) in parallel mode, which measured fastest for these grid-stride kernels (docs/gpu.md).
/// </summary>
public static class IlgpuDevices
{
    private static readonly Lazy<Context> Shared = new(() => Context.Create(b => b
        .Cuda().OpenCL().CPU(CPUDeviceKind.Nvidia).Math(MathMode.Default).Optimize(OptimizationLevel.O1)));

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

    /// <summary>Opens the first device of <paramref name="kind"/>.</summary>
    /// <exception cref="InvalidOperationException">ILGPU found no such device; the message lists those it found.</exception>
    internal static Accelerator Open(IlgpuKind kind)
    {
        var device = Devices(kind).FirstOrDefault() ?? throw new InvalidOperationException(
            $"ILGPU found no {Name(kind)} device; it found: {string.Join("; ", List())}.");
        return device is CPUDevice cpu ? cpu.CreateCPUAccelerator(Context, CPUAcceleratorMode.Parallel) : device.CreateAccelerator(Context);
    }

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
