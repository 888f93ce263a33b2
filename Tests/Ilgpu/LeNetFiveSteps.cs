using Functional.Backends.Ilgpu;
using Functional.Data;
using Functional.Network;
using Functional.Training;
using static Functional.Dsl.Layers;
using static Functional.Tests.Ilgpu.IlgpuTestKit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Ilgpu;

/// <summary>
/// One fit of LeNet-5 for 5 steps at batch 8 on the committed Fashion-MNIST extract (Adam, clipping at norm 1), on
/// the Cpu backend and on ILGPU's CPU accelerator, with the ILGPU backend's transfer counters read after every step.
/// LeNet-5's 28×28 convolutions are the most expensive work the simulated GPU does in the tests, so the loss test
/// (<see cref="IlgpuTrainingTests"/>) and the transfer test (<see cref="IlgpuTransferTests"/>) read this one run,
/// made once per process by whichever asks first, and each asserts its own part of it.
/// </summary>
internal static class LeNetFiveSteps
{
    private static readonly Lazy<Run> Shared = new(Fit, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The per-step losses on each backend, and what crossed between host and device in each ILGPU step.</summary>
    public sealed record Run(double[] CpuLosses, double[] IlgpuLosses, IReadOnlyList<TransferCounts> Transfers);

    /// <summary>The run, made on first call.</summary>
    public static Run Result => Shared.Value;

    private static Run Fit()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");
        var train = FashionMnist.Load(fixture).Train.Take(40);
        var data = DataLoader.Over(train, 8).Normalized(Normalization.Of(train));
        Model LeNet() => Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2)).Then(Conv(16, 5)).Then(ReLU).Then(MaxPool(2))
            .Then(Flatten).Then(Dense(120)).Then(ReLU).Then(Dense(84)).Then(ReLU).Then(Dense(10)).Init(Shape.Image(1, 28, 28), 42);

        var cpu = Losses(LeNet().WithContext(ExecutionContext.Cpu()), data, _ => { });
        var context = Fresh();
        var backend = Backend(context);
        // The counters are read after every step, and once before the first step of the fit itself.
        var model = LeNet().WithContext(context);
        var marks = new List<TransferCounts>();
        var ilgpu = Losses(model, data, _ => marks.Add(backend.Transfers));
        // Steps 2–5: the first step also uploads what the fit makes once (e.g. the evaluation set).
        var steps = marks.Zip(marks.Skip(1), (a, b) => new TransferCounts(b.Uploads - a.Uploads, b.UploadedBytes - a.UploadedBytes,
            b.Downloads - a.Downloads, b.DownloadedBytes - a.DownloadedBytes)).ToList();
        return new Run(cpu, ilgpu, steps);
    }

    // The loss of each step, read from the step reports (mean loss so far → per-step loss).
    private static double[] Losses(Model model, DataLoader data, Action<StepReport> afterStep)
    {
        var means = new List<double>();
        Trainer.Fit(model, Optimizer.Adam(1e-3), data, DataLoader.Over(Synthetic(model.InputShape, 2, 9), 2),
            new FitOptions(Epochs: 1, Seed: 3, ClipNorm: 1), observer: new StepHook(r => { means.Add(r.Loss); afterStep(r); }));
        return means.Select((m, i) => m * (i + 1) - (i == 0 ? 0 : means[i - 1] * i)).ToArray();
    }
}
