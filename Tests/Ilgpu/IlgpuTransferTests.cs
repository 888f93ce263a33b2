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
/// images, the cross-entropy target made from its labels, and the labels for counting correct predictions), and down
/// come the loss and one small vector of non-finite flags (which also carries the correct count). Nothing else: no
/// parameter, gradient, state or activation.
/// </summary>
public class IlgpuTransferTests(ITestOutputHelper log)
{
    private const int Uploads = 3, Downloads = 2;

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
    public void A_training_step_of_the_batch_norm_classifier_moves_only_the_batch_the_loss_and_one_flag_vector()
    {
        var context = Fresh();
        var steps = PerStep(context, FeatureNet(ExecutionContext.Cpu()), Synthetic(Features, 32, 3), 8);
        Assert.Equal(3, steps.Count);
        // Up: 8×10 inputs, the 8×10 target and 8 labels. Down: the loss, and 2 floats for the hits and for each gradient,
        // parameter and state leaf (1+4+4+4).
        Assert.All(steps, s => Assert.Equal(new Backends.Ilgpu.TransferCounts(Uploads, 2 * 320 + 32, Downloads, 4 + 2 * 13 * 4), s));
    }

    [Fact]
    public void A_lenet5_training_step_moves_only_the_batch_the_loss_and_one_flag_vector()
    {
        // The 5-step LeNet-5 fit that the loss test also reads (Adam with clipping, batch 8, Fashion-MNIST).
        var steps = LeNetFiveSteps.Result.Transfers;
        foreach (var s in steps) log.WriteLine($"one LeNet-5 step: {s}");
        Assert.Equal(4, steps.Count);
        // Up: 8×1×28×28 images, the 8×10 target and 8 labels. Down: the loss, and 2 floats for the hits and for each of
        // the 10 gradient and 10 parameter leaves.
        Assert.All(steps, s => Assert.Equal(new Backends.Ilgpu.TransferCounts(Uploads, 4 * (8 * 784 + 80 + 8), Downloads, 4 + 2 * 21 * 4), s));
    }
}
