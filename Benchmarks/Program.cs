using BenchmarkDotNet.Running;

namespace Functional.Benchmarks;

/// <summary>
/// <c>serve [threads] [seconds]</c> runs the line protocol used by scripts/bench_torch.py; <c>distributed …</c> and
/// <c>allreduce …</c>, under mpirun, time data-parallel steps (<see cref="DistributedStep"/>); anything else goes to
/// BenchmarkDotNet (for example <c>--filter *Gemm*</c>).
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "serve")
        {
            var threads = args.Length > 1 ? int.Parse(args[1]) : 0;
            var seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0.5;
            return Serve.Run(threads, seconds);
        }
        if (args.Length > 0 && args[0] is "distributed" or "allreduce")
            return DistributedStep.Run(args[0], args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
