using System.Diagnostics;
using Functional.Backends.Ilgpu;
using Functional.Benchmarks;
using Functional.Data;
using Functional.Network;
using Functional.Random;
using Functional.Training;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.GpuCheck;

/// <summary>
/// One timed workload: ours as a closure that runs it once and waits for the device, the PyTorch side as the
/// request line gpu_check_torch.py understands, and how many timed runs the median takes.
/// </summary>
/// <param name="Flops">Floating-point operations of one run, when a throughput is worth printing (sgemm).</param>
/// <param name="WarmUp">Whether an untimed run comes first (kernels compile on their first launch).</param>
/// <param name="PeakMiB">For the workload whose device memory the report compares: the device's peak MiB since the
/// workload was built, read after the timed runs (null: not measured).</param>
public sealed record TimedWorkload(string Name, Action Run, string PeerRequest, int Repeats, bool IsConv = false, double? Flops = null,
    bool WarmUp = true, Func<double>? PeakMiB = null)
{
    /// <summary>The median of <see cref="Repeats"/> runs after the warm-up, in milliseconds.</summary>
    public double MedianMs()
    {
        if (WarmUp) Run();
        var times = new double[Repeats];
        for (var i = 0; i < Repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            Run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return Repeats % 2 == 1 ? times[Repeats / 2] : (times[Repeats / 2 - 1] + times[Repeats / 2]) / 2;
    }
}

/// <summary>The timed workloads of the report, built for one device context and profile.</summary>
public static class TimedWorkloads
{
    /// <summary>Conv shapes f+b, sgemm, a LeNet-5 step, a ResNet-18 step and one Fashion-MNIST epoch, in report order.</summary>
    /// <param name="data">The folder of the IDX files, or null for synthetic images.</param>
    public static IEnumerable<Func<TimedWorkload>> All(ExecutionContext device, Profile p, string? data, TextWriter progress)
    {
        Action sync = device.Backend is IlgpuBackend ilgpu ? ilgpu.Accelerator.Synchronize : () => { };
        foreach (var s in p.TimedConvs)
            yield return () =>
            {
                var conv = new ConvWorkload(device.Backend, s.Geometry());
                return new($"conv {s.Name} f+b", () => { conv.ForwardBackward(); sync(); },
                    $"conv {s.N} {s.C} {s.H} {s.W} {s.Cout} {s.K} {s.Stride} {s.Pad} {s.Groups} {p.Repeats}", p.Repeats, IsConv: true);
            };
        var n = p.GemmSize;
        yield return () =>
        {
            var gemm = new GemmWorkload(device.Backend, n, n, n);
            return new($"sgemm {n}x{n}x{n}", () => { gemm.Run(); sync(); }, $"gemm {n} {p.Repeats}", p.Repeats, Flops: gemm.Flops);
        };
        yield return () =>
        {
            var l = p.LeNetSide;
            var step = new TrainingStep(device, Networks.LeNet5, Shape.Image(1, l, l), p.LeNetBatch);
            return new($"LeNet-5{(l == 28 ? "" : $" (1x{l}x{l})")} train step, batch {p.LeNetBatch}", () => step.Run(),
                $"lenet {p.LeNetBatch} {p.Repeats}", p.Repeats);
        };
        yield return () =>
        {
            var (w, side) = (p.ResNetWidth, p.ResNetSide);
            // The peak is measured from here: what the earlier workloads left behind is released first.
            var memory = (device.Backend as IlgpuBackend)?.Memory;
            memory?.Collect();
            memory?.ResetPeak();
            var step = new TrainingStep(device, Networks.ResNet18Cifar(w), Shape.Image(3, side, side), p.ResNetBatch);
            var repeats = Math.Max(1, p.Repeats / 2);
            return new($"{Networks.ResNetName(w, side)} train step, batch {p.ResNetBatch}", () => step.Run(),
                $"resnet {p.ResNetBatch} {w} {side} {repeats}", repeats,
                PeakMiB: memory is null ? null : () => memory.PeakBytes / (double)(1 << 20));
        };
        // Fashion-MNIST's images are 28×28, whose LeNet-5 steps take minutes each on the simulator: no epoch there.
        if (p.EpochImages == 0) yield break;
        yield return () =>
        {
            var dataset = data is null ? Synthetic(p.EpochImages)
                : Idx.ReadDataset(Path.Combine(data, FashionMnist.TrainImages), Path.Combine(data, FashionMnist.TrainLabels), 10, p.EpochImages);
            var source = data is null ? "synthetic" : "IDX files";
            var model = Networks.LeNet5.Init(Shape.Image(1, 28, 28), seed: 42, device);
            var loader = DataLoader.Over(dataset, p.EpochBatch).Shuffled(Key.FromSeed(3));
            var options = new FitOptions(1, LogEvery: 0);
            // One epoch is long enough to time once; the LeNet-5 step before it has already compiled its kernels.
            return new($"Fashion-MNIST epoch, {dataset.Count:N0} images ({source}), LeNet-5 batch {p.EpochBatch}",
                () => Trainer.Fit(model, Optimizer.Sgd(0.01), loader, null, options, observer: new EpochProgress(progress)),
                $"epoch {p.EpochBatch} {dataset.Count} {data ?? "-"}", 1, WarmUp: false);
        };
    }

    /// <summary>Random bytes in Fashion-MNIST's shape: what an epoch costs does not depend on the pixels.</summary>
    private static Dataset Synthetic(int count)
    {
        var key = Key.FromSeed(5);
        var pixels = new byte[count * 28 * 28];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)key.Below(i, 256);
        var labels = Enumerable.Range(0, count).Select(i => (byte)key.Split(1).Below(i, 10)).ToArray();
        return Dataset.FromBytes(Shape.Image(1, 28, 28), pixels, labels, 10);
    }
}

/// <summary>One SGD training step of a network on a fixed random batch, always from the same parameters, so every
/// timed step does the same work (as Benchmarks' ModelStep does on the CPU).</summary>
public sealed class TrainingStep(ExecutionContext ctx, Layer network, Shape image, int batch)
{
    private readonly Model _model = network.Init(image, seed: 42, ctx);
    private readonly Optimizer _sgd = Optimizer.Sgd(0.01);
    private readonly Tensor _images = Tensor.Uniform(Shape.Images(batch, image[0], image[1], image[2]), Key.FromSeed(9));
    private readonly int[] _labels = Enumerable.Range(0, batch).Select(i => Key.FromSeed(10).Below(i, 10)).ToArray();

    /// <summary>Forward, loss, backward, update; reading the loss waits for the device.</summary>
    public float Run()
    {
        var step = _model.LossAndGradients(Loss.CrossEntropy, _images, _labels, Key.FromSeed(0));
        var (next, _) = _sgd.Step(_model.Parameters, step.Gradients, _sgd.Init(_model));
        // The update is part of the step; forcing one of its tensors makes sure it ran before the clock stops.
        _ = next[next.Count - 1].Value.Span[0];
        return step.Loss;
    }
}

/// <summary>Prints the epoch's progress in tenths, so a long epoch on a slow device shows it is moving.</summary>
internal sealed class EpochProgress(TextWriter progress) : ITrainingObserver
{
    private int _shown;

    public void EpochStarted(int epoch, int epochs, int steps) => _shown = 0;

    public void StepFinished(StepReport report)
    {
        var tenth = report.Step * 10 / Math.Max(1, report.Steps);
        if (tenth <= _shown) return;
        _shown = tenth;
        progress.WriteLine($"  epoch {tenth * 10}% ({report.Step}/{report.Steps} steps)");
    }

    public void EpochFinished(IReadOnlyList<EpochRecord> history, Model model) { }
}
