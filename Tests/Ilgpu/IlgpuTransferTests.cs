using Functional.Data;
using Functional.Network;
using Functional.Training;
using Xunit;
using Xunit.Abstractions;
using static Functional.Dsl.Layers;
using static Functional.Tests.Ilgpu.IlgpuTestKit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Ilgpu;

/// <summary>
/// What crosses between host and device in a training step once the model is on the device: the batch goes up (its
/// images, and the cross-entropy target made from its labels), and down come the loss, one vector of non-finite
/// flags, and the logits the running accuracy is counted from. Nothing else: no parameter, gradient or state.
/// </summary>
public class IlgpuTransferTests(ITestOutputHelper log)
{
    private const int Uploads = 2, Downloads = 3;

    // Per-step transfer counts (and bytes) over steps 2–4 of a fit, after the model was moved to the device.
    private List<Backends.Ilgpu.TransferCounts> PerStep(ExecutionContext context, Model model, Dataset data, int batch)
    {
        var backend = Backend(context);
        var marks = new List<Backends.Ilgpu.TransferCounts>();
        model = model.WithContext(context);
        Trainer.Fit(model, Optimizer.Sgd(0.01, momentum: 0.9), DataLoader.Over(data, batch), DataLoader.Over(data.Take(batch), batch),
            new FitOptions(Epochs: 1, ClipNorm: 1), observer: new StepHook(_ => marks.Add(backend.Transfers)));
        var steps = marks.Zip(marks.Skip(1), (a, b) => new Backends.Ilgpu.TransferCounts(b.Uploads - a.Uploads, b.UploadedBytes - a.UploadedBytes,
            b.Downloads - a.Downloads, b.DownloadedBytes - a.DownloadedBytes)).ToList();
        foreach (var s in steps) log.WriteLine($"one step: {s}");
        return steps;
    }

    [Fact]
    public void A_training_step_of_the_batch_norm_classifier_moves_only_the_batch_the_loss_the_flags_and_the_logits()
    {
        var context = Fresh();
        var steps = PerStep(context, FeatureNet(ExecutionContext.Cpu()), Synthetic(Features, 32, 3), 8);
        Assert.Equal(3, steps.Count);
        // Up: 8×10 inputs and the 8×10 target. Down: the loss, 2 flags per gradient, parameter and state leaf (4+4+4),
        // and the 8×10 logits.
        Assert.All(steps, s => Assert.Equal(new Backends.Ilgpu.TransferCounts(Uploads, 2 * 320, Downloads, 4 + 2 * 12 * 4 + 320), s));
    }

    [Fact]
    public void A_lenet5_training_step_moves_only_the_batch_the_loss_the_flags_and_the_logits()
    {
        if (!KernelsMerged) return;   // needs the conv, pool and GEMM kernels (see IlgpuTestKit.KernelsMerged)
        var context = Fresh();
        var lenet = Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2)).Then(Conv(16, 5)).Then(ReLU).Then(MaxPool(2))
            .Then(Flatten).Then(Dense(120)).Then(ReLU).Then(Dense(84)).Then(ReLU).Then(Dense(10)).Init(Shape.Image(1, 28, 28), 42);
        var steps = PerStep(context, lenet, Synthetic(Shape.Image(1, 28, 28), 32, 4), 8);
        // Up: 8×1×28×28 images and the 8×10 target. Down: the loss, 2 flags for each of the 10 gradient and 10
        // parameter leaves, and the 8×10 logits.
        Assert.All(steps, s => Assert.Equal(new Backends.Ilgpu.TransferCounts(Uploads, 4 * (8 * 784 + 80), Downloads, 4 + 2 * 20 * 4 + 320), s));
    }
}
