using Functional.Tests.Support;
using Functional.Cli;
using Functional.Cli.Pictures;
using Xunit;

namespace Functional.Tests;

/// <summary>The acceptance path: <c>train</c> leaves a checkpoint and pictures; <c>evaluate</c> reproduces its accuracy.</summary>
public class TrainThenEvaluateTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");

    private static (int Code, string[] Out, string Err) Cli(params string[] args)
    {
        var (code, output, error) = InProcessCli.Run(args);
        return (code, output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), error);
    }

    [Fact]
    public void Evaluate_on_the_runs_checkpoint_prints_the_runs_accuracy_line()
    {
        var root = Directory.CreateTempSubdirectory("runs-").FullName;
        try
        {
            var (code, output, error) = Cli("train", "--data", Fixture, "--epochs", "2", "--limit", "300", "--out", root);
            Assert.True(code == 0, error);
            var folder = output[^2]["run folder: ".Length..];
            Assert.Equal(["activations.png", "confusion.png", "curves.png", "filters.png", "history.csv", "model.safetensors", "model.training.safetensors"],
                Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var png in RunFolderPictures.FileNames)
                Assert.Equal(["IHDR", "IDAT", "IEND"], PicturesPngReader.Decode(File.ReadAllBytes(Path.Combine(folder, png))).ChunkTypes);

            var (evalCode, evalOutput, evalError) = Cli("evaluate", "--checkpoint", Path.Combine(folder, "model.safetensors"), "--data", Fixture);
            Assert.True(evalCode == 0, evalError);
            Assert.Equal(output[^1], evalOutput[0]);   // "test accuracy: 0.XXXX", character for character
            Assert.Contains("model: lenet5, epoch 2, 61,706 parameters", evalOutput[2]);
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void After_an_early_stop_the_checkpoint_is_the_kept_epochs_model()
    {
        var root = Directory.CreateTempSubdirectory("runs-").FullName;
        try
        {
            var (code, output, error) = Cli("train", "--data", Fixture, "--epochs", "10", "--limit", "500", "--patience", "1", "--lr", "0.01", "--out", root);
            Assert.True(code == 0, error);
            var folder = output[^2]["run folder: ".Length..];
            var rows = File.ReadAllLines(Path.Combine(folder, "history.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
            Assert.True(rows.Length < 10, $"this setting is chosen so that the run stops early, but it ran {rows.Length} epochs");
            var kept = rows.MinBy(r => double.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture))![0];   // lowest test loss
            Assert.NotEqual(rows[^1][0], kept);
            var (evalCode, evalOutput, evalError) = Cli("evaluate", "--checkpoint", Path.Combine(folder, "model.safetensors"), "--data", Fixture);
            Assert.True(evalCode == 0, evalError);
            Assert.Equal(output[^1], evalOutput[0]);
            Assert.Contains($"epoch {kept},", evalOutput[2]);
        }
        finally { Directory.Delete(root, true); }
    }
}
