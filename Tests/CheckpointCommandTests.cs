using System.Globalization;
using Functional.Data;
using Functional.Io;
using Functional.Tests.Support;
using Functional.Training;
using Xunit;

namespace Functional.Tests;

/// <summary><c>evaluate</c> on any network the library can describe, and <c>train --resume</c>.</summary>
public sealed class CheckpointCommandTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");
    private readonly string dir = Directory.CreateTempSubdirectory("checkpoint-cli").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (int Code, string[] Out, string Err) Cli(params string[] args)
    {
        var (code, output, error) = InProcessCli.Run(args);
        return (code, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error);
    }

    [Fact]
    public void Evaluate_rebuilds_a_non_zoo_network_from_its_checkpoint()
    {
        var splits = FashionMnist.Load(Fixture);
        var norm = Normalization.Of(splits.Train);
        var model = IoCheckpointNetworkTests.ResNetish().Init(Shape.Image(1, 28, 28), seed: 2);
        var fit = Trainer.Fit(model, Optimizer.Adam(3e-3), DataLoader.Over(splits.Train, 50).Normalized(norm), null, new FitOptions(Epochs: 1));
        var path = Path.Combine(dir, "resnetish.safetensors");
        ModelCheckpoint.Save(path, fit.Model, normalization: norm, epoch: 1);
        var expected = Trainer.Evaluate(fit.Model, DataLoader.Over(splits.Test, 500).Normalized(norm));

        var (code, output, error) = Cli("evaluate", "--checkpoint", path, "--data", Fixture, "--backend", "reference");
        Assert.True(code == 0, error);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {expected.Accuracy:F4}"), output[0]);
        Assert.StartsWith($"model: Chain(8 layers), epoch 1, {fit.Model.Parameters.ElementCount:N0} parameters, inputs normalised by {norm}", output[2]);
    }

    [Fact]
    public void Evaluate_refuses_a_checkpoint_without_normalisation_in_one_line()
    {
        var path = Path.Combine(dir, "bare.safetensors");
        ModelCheckpoint.Save(path, IoCheckpointNetworkTests.ResNetish().Init(Shape.Image(1, 28, 28), seed: 2));
        var (code, output, error) = Cli("evaluate", "--checkpoint", path, "--data", Fixture);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"error: {path}: records no input normalisation", error);
        Assert.Contains("'normalization_mean'", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Train_resume_continues_a_run_to_the_same_bits_as_the_run_that_never_stopped()
    {
        string[] common = ["train", "--data", Fixture, "--limit", "200", "--schedule", "constant", "--seed", "3", "--backend", "reference"];
        var straight = Cli([.. common, "--epochs", "2", "--out", Path.Combine(dir, "a")]);
        Assert.True(straight.Code == 0, straight.Err);
        var stopped = Cli([.. common, "--epochs", "1", "--out", Path.Combine(dir, "b")]);
        Assert.True(stopped.Code == 0, stopped.Err);
        var folderA = straight.Out[^2]["run folder: ".Length..];
        var folderB = stopped.Out[^2]["run folder: ".Length..];

        var resumed = Cli("train", "--resume", Path.Combine(folderB, "model.safetensors"), "--epochs", "2", "--data", Fixture, "--backend", "reference");
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Equal(straight.Out[^1], resumed.Out[^1]);
        Assert.Equal($"run folder: {Path.GetFullPath(folderB)}", resumed.Out[^2]);
        var a = SafeTensors.Load(Path.Combine(folderA, "model.safetensors")).Tensors;
        var b = SafeTensors.Load(Path.Combine(folderB, "model.safetensors")).Tensors;
        Assert.Equal(a.Keys, b.Keys);
        foreach (var name in a.Keys) Assert.Equal(a[name].ToArray(), b[name].ToArray());
        static string[] Untimed(string folder) => File.ReadAllLines(Path.Combine(folder, "history.csv")).Select(l => string.Join(',', l.Split(',')[..7])).ToArray();
        Assert.Equal(Untimed(folderA), Untimed(folderB));
        Assert.Equal(3, Untimed(folderB).Length);
    }

    [Fact]
    public void Train_resume_refuses_changed_settings_and_a_finished_run()
    {
        var run = Cli("train", "--data", Fixture, "--limit", "100", "--epochs", "1", "--out", Path.Combine(dir, "c"));
        Assert.True(run.Code == 0, run.Err);
        var model = Path.Combine(run.Out[^2]["run folder: ".Length..], "model.safetensors");
        var changed = Cli("train", "--resume", model, "--lr", "0.1", "--data", Fixture);
        Assert.Equal(2, changed.Code);
        Assert.Contains("--lr cannot be combined with --resume", changed.Err);
        var finished = Cli("train", "--resume", model, "--data", Fixture);
        Assert.Equal(2, finished.Code);
        Assert.Contains("already trained 1 epochs and the options ask for 1", finished.Err);
    }
}
