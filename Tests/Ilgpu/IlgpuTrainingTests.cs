using System.Globalization;
using Functional.Data;
using Functional.Network;
using Functional.Tests.Support;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;
using static Functional.Tests.Ilgpu.IlgpuTestKit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Ilgpu;

/// <summary>Training on the ILGPU backend gives the Cpu backend's numbers, and the same bits run after run.</summary>
public class IlgpuTrainingTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");

    // The loss of each of the first steps of a fit, read from the step reports (mean loss so far → per-step loss).
    private static (double[] Losses, Model Model) Losses(Model model, Optimizer optimizer, DataLoader data, double? clip = null)
    {
        var means = new List<double>();
        var result = Trainer.Fit(model, optimizer, data, DataLoader.Over(Synthetic(model.InputShape, 2, 9), 2),
            new FitOptions(Epochs: 1, Seed: 3, ClipNorm: clip), observer: new StepHook(r => means.Add(r.Loss)));
        return (means.Select((m, i) => m * (i + 1) - (i == 0 ? 0 : means[i - 1] * i)).ToArray(), result.Model);
    }

    private static void WithinRelative(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Abs(expected[i]),
                $"step {i + 1}: cpu loss {expected[i]:R}, ilgpu loss {actual[i]:R}");
    }

    [Fact]
    public void The_batch_norm_classifier_trains_to_the_cpu_losses_and_parameters()
    {
        var data = DataLoader.Over(Synthetic(Features, 64, 5), 8).Shuffled(Functional.Random.Key.FromSeed(4));
        var cpu = Losses(FeatureNet(ExecutionContext.Cpu()), Optimizer.AdamW(1e-2), data, clip: 0.5);
        var ilgpu = Losses(FeatureNet(Fresh()), Optimizer.AdamW(1e-2), data, clip: 0.5);
        WithinRelative(cpu.Losses, ilgpu.Losses, 1e-4);
        foreach (var (path, p) in cpu.Model.Parameters)
            Assert.True(p.AllClose(ilgpu.Model.Parameters[path], 1e-4f, 1e-6f), $"{path}: max difference {p.MaxAbsDiff(ilgpu.Model.Parameters[path])}");
        foreach (var (path, s) in cpu.Model.State)
            Assert.True(s.AllClose(ilgpu.Model.State[path], 1e-4f, 1e-6f), $"{path}: max difference {s.MaxAbsDiff(ilgpu.Model.State[path])}");
    }

    [Fact]
    public void The_same_inputs_give_the_same_bits_run_after_run()
    {
        var data = DataLoader.Over(Synthetic(Features, 32, 6), 4).Shuffled(Functional.Random.Key.FromSeed(5));
        Model Run() => Losses(FeatureNet(Fresh()), Optimizer.Sgd(0.05, momentum: 0.9, nesterov: true), data).Model;
        var (a, b) = (Run(), Run());
        foreach (var (path, p) in a.Parameters)
            Assert.Equal(p.ToArray().Select(BitConverter.SingleToInt32Bits), b.Parameters[path].ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_model_moves_to_the_device_and_back_with_its_values()
    {
        var model = FeatureNet(ExecutionContext.Cpu(), seed: 8);
        var back = model.WithContext(Fresh()).WithContext(ExecutionContext.Cpu());
        foreach (var (path, p) in model.Parameters) Assert.Equal(p.ToArray(), back.Parameters[path].ToArray());
        Assert.IsType<HostStorage>(back.Parameters[0].Value.Storage);
    }

    [Fact]
    public void LeNet5_five_steps_at_batch_8_on_fashion_mnist_give_the_cpu_losses_within_1e_4()
    {
        var run = LeNetFiveSteps.Result;
        Assert.Equal(5, run.CpuLosses.Length);
        WithinRelative(run.CpuLosses, run.IlgpuLosses, 1e-4);
    }

    [Fact]
    public void The_train_command_on_ilgpu_cpu_prints_the_cpu_accuracy_within_0_002()
    {
        double Accuracy(string backend)
        {
            var root = Directory.CreateTempSubdirectory("runs-").FullName;
            try
            {
                var (code, output, error) = InProcessCli.Run(["train", "--data", Fixture, "--epochs", "1", "--limit", "128", "--batch-size", "32",
                    "--backend", backend, "--out", root]);
                Assert.True(code == 0, error);
                var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
                return double.Parse(last["test accuracy: ".Length..], CultureInfo.InvariantCulture);
            }
            finally { Directory.Delete(root, true); }
        }
        Assert.Equal(Accuracy("cpu"), Accuracy("ilgpu:cpu"), 0.002);
    }
}
