using ExecutionContext = Functional.Backends.ExecutionContext;
using System.Diagnostics;
using System.Globalization;
using Functional.Backends;

namespace Functional.Benchmarks;

/// <summary>
/// The timing side of <c>scripts/bench_torch.py</c>: reads one workload per line on stdin and answers with its median
/// time in milliseconds, so the script can interleave our runs with PyTorch's in one sitting. Lines:
/// <c>gemm M K N</c>, <c>conv INDEX fwd|data|filter|fb</c>, <c>ew OP DIMS</c> (<see cref="ElementwiseWorkload"/>), <c>lenet BATCH</c> (ops), <c>lenet-model BATCH</c> (through the model), <c>resnet18 BATCH</c>, <c>infer ours|layers|ort ONNX_PATH BATCH</c> (<see cref="Inference"/>; answered with the median and
/// the 90th percentile), <c>memory WORKLOAD</c> (allocation and GC figures
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
                var fresh = !cache.ContainsKey(key);
                if (fresh) cache[key] = Build(backend, key.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                var run = cache[key];
                if (memory) Console.WriteLine(Memory(run, Slow(key) ? 3 : 100));
                else if (key.StartsWith("infer ", StringComparison.Ordinal)) Console.WriteLine(Spread(run, seconds));
                else Console.WriteLine((Slow(key) ? Median(run, seconds, minRuns: 2, warmUp: fresh) : Median(run, seconds)).ToString("F4", CultureInfo.InvariantCulture));
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
        "conv" when p[2] == "data" => new ConvWorkload(backend, ConvShape.All[int.Parse(p[1])].Geometry()).BackwardData,
        "conv" when p[2] == "filter" => new ConvWorkload(backend, ConvShape.All[int.Parse(p[1])].Geometry()).BackwardFilter,
        "conv" => new ConvWorkload(backend, ConvShape.All[int.Parse(p[1])].Geometry()).ForwardBackward,
        "ew" => new ElementwiseWorkload(backend, p[1], p[2]).Run,
        "lenet" => LeNet(backend, int.Parse(p[1])),
        "lenet-model" => LeNetModel(backend, int.Parse(p[1])),
        "resnet18" => ResNet18(backend, int.Parse(p[1])),
        "infer" when p[1] == "ours" => Inference.Ours(p[2], int.Parse(p[3]), backend.Threads),
        "infer" when p[1] == "layers" => Inference.Layers(p[2], int.Parse(p[3]), backend.Threads),
        "infer" when p[1] == "ort" => Inference.OnnxRuntime(p[2], int.Parse(p[3]), backend.Threads),
        _ => throw new ArgumentException($"unknown workload '{string.Join(' ', p)}'"),
    };

    private static Action LeNet(IBackend backend, int batch)
    {
        var step = new LeNetStep(new ExecutionContext(backend), batch);
        return () => step.Run();
    }

    private static Action LeNetModel(IBackend backend, int batch)
    {
        var step = ModelStep.LeNet5(new ExecutionContext(backend), batch);
        return () => step.Run();
    }

    private static Action ResNet18(IBackend backend, int batch)
    {
        var step = ModelStep.ResNet18Cifar(new ExecutionContext(backend), batch);
        return () => step.Run();
    }

    // A ResNet-18 step takes seconds: a few calls give its time, allocation and peak, and a warm-up per round would
    // double the cost, so only its first call warms up. The small workloads keep a warm-up per round.
    private static bool Slow(string key) => key.StartsWith("resnet18", StringComparison.Ordinal);

    /// <summary>
    /// Managed bytes allocated per call, gen-2 collections over <paramref name="calls"/> calls and the process's peak
    /// working set, after a warm-up call (tensor storage is allocated per call by design; scratch is pooled).
    /// </summary>
    public static string Memory(Action run, int calls = 100)
    {
        run();
        var (gen2, bytes) = (GC.CollectionCount(2), GC.GetTotalAllocatedBytes(precise: true));
        for (var i = 0; i < calls; i++) run();
        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)calls / (1 << 20);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / (double)(1 << 20);
        return string.Create(CultureInfo.InvariantCulture, $"{perCall:F2} MiB allocated per call, {GC.CollectionCount(2) - gen2} gen-2 GCs per {calls} calls, peak working set {peak:F0} MiB");
    }

    /// <summary>"median p90" in milliseconds over the runs of <see cref="Median"/>: how far repeated calls swing.</summary>
    public static string Spread(Action run, double seconds)
    {
        var times = new List<double>();
        Median(run, seconds, minRuns: 5, times: times);
        var p90 = times[(int)Math.Ceiling(0.9 * times.Count) - 1];
        return string.Create(CultureInfo.InvariantCulture, $"{times[times.Count / 2]:F4} {p90:F4}");
    }

    /// <summary>Median of at least <paramref name="minRuns"/> timed runs, after one warm-up run unless
    /// <paramref name="warmUp"/> is false, stopping once about <paramref name="seconds"/> have passed; the sorted
    /// times are left in <paramref name="times"/> when given.</summary>
    public static double Median(Action run, double seconds, int minRuns = 3, bool warmUp = true, List<double>? times = null)
    {
        if (warmUp) run();
        times ??= [];
        var total = Stopwatch.StartNew();
        while (times.Count < minRuns || (total.Elapsed.TotalSeconds < seconds && times.Count < 200))
        {
            var sw = Stopwatch.StartNew();
            run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
