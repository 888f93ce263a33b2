using ExecutionContext = Functional.Backends.ExecutionContext;
using System.Diagnostics;
using System.Globalization;
using Functional.Backends;

namespace Functional.Benchmarks;

/// <summary>
/// The timing side of <c>scripts/bench_torch.py</c>: reads one workload per line on stdin and answers with its median
/// time in milliseconds, so the script can interleave our runs with PyTorch's in one sitting. Lines:
/// <c>gemm M K N</c>, <c>conv INDEX fwd|fb</c>, <c>lenet BATCH</c>, <c>memory WORKLOAD</c> (allocation and GC figures
/// instead of a time), <c>quit</c>. Workloads are built once and kept.
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
                var memory = line.StartsWith("memory ", StringComparison.Ordinal);
                var key = memory ? line["memory ".Length..] : line;
                if (!cache.TryGetValue(key, out var run)) cache[key] = run = Build(backend, key.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                Console.WriteLine(memory ? Memory(run) : Median(run, seconds).ToString("F4", CultureInfo.InvariantCulture));
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

    /// <summary>
    /// Managed bytes allocated per call, gen-2 collections per 100 calls and the process's peak working set, over
    /// 100 calls after a warm-up call (tensor storage is allocated per call by design; scratch is pooled).
    /// </summary>
    public static string Memory(Action run)
    {
        run();
        var (gen2, bytes) = (GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: true));
        for (var i = 0; i < 100; i++) run();
        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / 100.0 / (1 << 20);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (double)(1 << 20);
        return string.Create(CultureInfo.InvariantCulture, $"{perCall:F2} MiB allocated per call, {GC.CollectionCount(2) - gen2} gen-2 GCs per 100 calls, peak working set {peak:F0} MiB");
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
