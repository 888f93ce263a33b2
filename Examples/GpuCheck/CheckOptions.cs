using Functional.Backends.Ilgpu;

namespace Functional.GpuCheck;

/// <summary>The command line was not understood; the program prints the message and exits with 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>What <c>gpu-check</c> was asked to do.</summary>
/// <param name="Accelerator">The ILGPU accelerator to check; null picks the best one ILGPU finds (CUDA, OpenCL, CPU).</param>
/// <param name="Quick">Smaller batches and fewer repetitions: a report in under two minutes on an H100-class GPU.</param>
/// <param name="AgreementOnly">Skip the timings and the PyTorch peer.</param>
/// <param name="Data">A folder holding Fashion-MNIST's training IDX files for the epoch timing; null: synthetic data.</param>
public sealed record CheckOptions(IlgpuKind? Accelerator, bool Quick, bool AgreementOnly, string? Data)
{
    /// <summary>The usage text of <c>--help</c>.</summary>
    public const string Usage = """
        usage: gpu-check [--accelerator cuda|opencl|cpu] [--quick] [--agreement-only] [--data DIR]
          Checks Functional's ILGPU backend on this machine against its Cpu backend, times it, and when python3 can
          import torch with CUDA, times the same workloads in PyTorch in the same run.
          --accelerator KIND  the ILGPU device to check (default: CUDA, else OpenCL, else ILGPU's CPU simulator)
          --quick             smaller batches, fewer repetitions and a sixth of the epoch
          --agreement-only    only the agreement section: no timings, no PyTorch
          --data DIR          time the epoch on Fashion-MNIST's train-images-idx3-ubyte.gz and
                              train-labels-idx1-ubyte.gz in DIR (default: synthetic data of the same shape)
        exit status: 0 every agreement check passed, 1 one failed, 2 bad usage or no such device
        """;

    /// <summary>Reads the arguments; null means <c>--help</c> was asked for.</summary>
    /// <exception cref="UsageException">An option is unknown, repeated without sense, or lacks its value.</exception>
    public static CheckOptions? Parse(IReadOnlyList<string> args)
    {
        IlgpuKind? kind = null;
        bool quick = false, agreementOnly = false;
        string? data = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    return null;
                case "--quick":
                    quick = true;
                    break;
                case "--agreement-only":
                    agreementOnly = true;
                    break;
                case "--accelerator":
                    kind = Value(args, ref i) switch
                    {
                        "cuda" => IlgpuKind.Cuda,
                        "opencl" => IlgpuKind.OpenCL,
                        "cpu" => IlgpuKind.Cpu,
                        var other => throw new UsageException($"--accelerator takes cuda, opencl or cpu, not '{other}'."),
                    };
                    break;
                case "--data":
                    data = Value(args, ref i);
                    break;
                default:
                    throw new UsageException($"unknown argument '{args[i]}' (gpu-check --help lists the options).");
            }
        }
        return new CheckOptions(kind, quick, agreementOnly, data);
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw new UsageException($"{args[i]} needs a value.");
        return args[++i];
    }
}
