using ExecutionContext = Functional.Backends.ExecutionContext;
using System.Diagnostics;
using System.Globalization;
using Functional.Backends;

namespace Functional.Benchmarks;

/// <summary>
/// The timing side of <c>scripts/bench_torch.py</c>: reads one workload per line on stdin and answers with its median
/// time in milliseconds, so the script can interleave our runs with PyTorch's in one sitting. Lines:
/// <c>gemm M K N</c>, <c>conv INDEX fwd|fb</c>, <c>lenet BATCH</c>, <c>quit</c>. Workloads are built once and kept.
/// </summary>
public static class Serve
{
    /// <summary>Answers workload lines until <c>quit</c> or end of input.</summary>
    public static int Run(int threads, double seconds)
    {
        var backend = ExecutionContext.Cpu(threads).Backend;
        var cache = new Dictionary<string, Action>();
        Console.WriteLine($"ready {backend.Name} {backend.Threads}");
        while (Console.ReadLine() is { } line && line.Trim() != "quit")
        {
            try
            {
                if (!cache.TryGetValue(line, out var run)) cache[line] = run = Build(backend, line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                Console.WriteLine(Median(run, seconds).ToString("F4", CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
            {
                Console.WriteLine($"error {e.Message}");
            }
        }
        return 0;
    }

    private static Action Build(IBackend backend, string[] p) => p[0] switch
    {
        "gemm" => new GemmWorkload(backend, int.Parse(p[1]), int.Parse(p[2]), int.Parse(p[3])).Run,
        "conv" when p[2] == "fwd" => new ConvWorkload(backend, ConvShape.All[int.Parse(p[1])].Geometry()).Forward,
        "conv" => new ConvWorkload(backend, ConvShape.All[int.Parse(p[1])].Geometry()).ForwardBackward,
        "lenet" => LeNet(backend, int.Parse(p[1])),
        _ => throw new ArgumentException($"unknown workload '{string.Join(' ', p)}'"),
    };

    private static Action LeNet(IBackend backend, int batch)
    {
        var step = new LeNetStep(new ExecutionContext(backend), batch);
        return () => step.Run();
    }

    /// <summary>Median of at least three timed runs, after one warm-up run, stopping once about <paramref name="seconds"/> have passed.</summary>
    public static double Median(Action run, double seconds)
    {
        run();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || (total.Elapsed.TotalSeconds < seconds && times.Count < 200))
        {
            var sw = Stopwatch.StartNew();
            run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
