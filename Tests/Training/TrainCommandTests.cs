using Functional.Tests.Support;
using System.Text.RegularExpressions;
using Functional.Cli;
using Functional.Cli.Training;
using Xunit;

namespace Functional.Tests.Training;

public class TrainCommandTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");

    private static (int Code, string[] Out, string Err) Run(params string[] args)
    {
        var (code, output, error) = InProcessCli.Run(["train", "--data", Fixture, .. args]);
        return (code, output.Split('\n', StringSplitOptions.RemoveEmptyEntries), error);
    }

    [Fact]
    public void A_run_prints_its_folder_then_ends_stdout_with_the_accuracy_and_leaves_the_history()
    {
        var root = Directory.CreateTempSubdirectory("runs-").FullName;
        try
        {
            var (code, output, error) = Run("--epochs", "2", "--limit", "200", "--out", root);
            Assert.True(code == 0, error);
            Assert.Matches(new Regex(@"^test accuracy: 0\.\d{4}$"), output[^1]);
            var folder = output[^2]["run folder: ".Length..];
            Assert.StartsWith("run folder: ", output[^2]);
            Assert.Equal(root, Path.GetDirectoryName(folder));
            var history = File.ReadAllLines(Path.Combine(folder, HistoryCsv.FileName));
            Assert.Equal(3, history.Length);
            Assert.StartsWith("2,8,", history[2]);   // 200 images in batches of 64: 4 steps per epoch
            Assert.Equal(double.Parse(history[2].Split(',')[5], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(output[^1]["test accuracy: ".Length..], System.Globalization.CultureInfo.InvariantCulture), 4);
            Assert.Contains("epoch 2/2", error);   // plain progress lines: the writer is not a terminal
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void A_huge_learning_rate_fails_with_one_line_naming_the_step()
    {
        var root = Directory.CreateTempSubdirectory("runs-").FullName;
        try
        {
            var (code, output, error) = Run("--epochs", "1", "--limit", "256", "--optimizer", "sgd", "--lr", "1e30", "--out", root);
            Assert.Equal(1, code);
            Assert.Empty(output);
            Assert.Matches(new Regex(@"error: Training stopped at step \d+ \(epoch 1, batch \d+\)"), error);
        }
        finally { Directory.Delete(root, true); }
    }

    [Theory]
    [InlineData("--epochs", "0", "--epochs 0")]
    [InlineData("--batch-size", "0", "--batch-size 0")]
    [InlineData("--limit", "0", "--limit 0")]
    [InlineData("--lr", "-1", "--lr -1")]
    public void Unusable_values_are_usage_errors(string option, string value, string expected)
    {
        var (code, _, error) = Run(option, value);
        Assert.Equal(CliErrors.UsageExitCode, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void A_data_folder_without_the_files_is_a_usage_error_naming_them()
    {
        var (code, _, error) = InProcessCli.Run("train", "--data", "/nonexistent/fm");
        Assert.Equal(CliErrors.UsageExitCode, code);
        Assert.Contains("train-images-idx3-ubyte.gz", error);
    }
}
