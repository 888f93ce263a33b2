using Functional.Backends.Ilgpu;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Training;

/// <summary>The backends <c>--backend</c> can name.</summary>
internal static class Backend
{
    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "reference", "ilgpu", "ilgpu:cuda", "ilgpu:opencl", "ilgpu:cpu"];

    /// <summary>The fast CPU backend, on every core.</summary>
    public const string DefaultName = "cpu";

    /// <summary>
    /// The execution context for a name from <see cref="Names"/>: <c>cpu</c> uses one thread per core,
    /// <c>reference</c> is the single-threaded oracle (slow; for checking), <c>ilgpu</c> the best accelerator ILGPU
    /// finds (CUDA, OpenCL, then its CPU simulator) and <c>ilgpu:KIND</c> one kind explicitly.
    /// </summary>
    /// <exception cref="UsageException">The name is unknown, or ILGPU has no such device (the message lists what it has).</exception>
    public static ExecutionContext Create(string name)
    {
        try
        {
            return name switch
            {
                "cpu" => ExecutionContext.Cpu(),
                "reference" => ExecutionContext.Reference,
                "ilgpu" => ExecutionContext.Ilgpu(),
                "ilgpu:cuda" => ExecutionContext.Ilgpu(IlgpuKind.Cuda),
                "ilgpu:opencl" => ExecutionContext.Ilgpu(IlgpuKind.OpenCL),
                "ilgpu:cpu" => ExecutionContext.Ilgpu(IlgpuKind.Cpu),
                _ => throw new UsageException($"--backend {name}: unknown; use {string.Join(", ", Names)}."),
            };
        }
        catch (InvalidOperationException e) { throw new UsageException($"--backend {name}: {e.Message}"); }
    }
}
