using Functional.Tests.Support;
using Functional.Cli;
using Xunit;

namespace Functional.Tests.Research;

/// <summary>The <c>variants</c> command run in-process on the committed Fashion-MNIST fixture.</summary>
public sealed class VariantsCommandTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");

    private static (int Exit, string Out, string Err) Run(params string[] args) => InProcessCli.Run(args);

    [Fact]
    public void Static_figures_of_the_vgg_study_need_no_data_and_write_csv_and_png()
    {
        var dir = Directory.CreateTempSubdirectory("functional-variants").FullName;
        var (exit, output, error) = Run("variants", "--study", "vgg-stacking", "--out", dir, "--data", "/nonexistent");
        Assert.True(exit == 0, error);
        Assert.Matches(@"\n1x5x5\s+67,274\s+25,329,472\s+18×18\s", output);
        Assert.Matches(@"\n2x3x3\s+53,002\s+18,304,832\s+18×18\s", output);
        Assert.Contains($"csv: {Path.Combine(dir, "variants.csv")}", output);
        var csv = File.ReadAllLines(Path.Combine(dir, "variants.csv"));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("2x3x3,3×3,53002,18304832,18x18,", csv[2]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(dir, "variants.png"))[..4]);
    }

    [Fact]
    public void The_skip_study_prints_first_layer_gradient_norms_from_a_real_batch()
    {
        var dir = Directory.CreateTempSubdirectory("functional-variants").FullName;
        var (exit, output, error) = Run("variants", "--study", "skip", "--data", Fixture, "--out", dir);
        Assert.True(exit == 0, error);
        Assert.Contains("grad norm @ layer 1", output);
        var rows = File.ReadAllLines(Path.Combine(dir, "variants.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[0], c => double.Parse(c[6], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(6, rows.Count);
        Assert.True(rows["plain-20"] < rows["residual-20"], $"plain-20 {rows["plain-20"]} vs residual-20 {rows["residual-20"]}");
    }

    [Fact]
    public void With_epochs_each_variant_trains_and_the_csv_records_accuracy_and_speed()
    {
        var dir = Directory.CreateTempSubdirectory("functional-variants").FullName;
        // The 3×32×32 pair on 1×28×28 images: the data is fitted to the study's input.
        var (exit, output, error) = Run("variants", "--study", "mlp-vs-cnn", "--epochs", "1", "--limit", "128", "--test-limit", "50",
            "--data", Fixture, "--out", dir, "--batch-size", "32");
        Assert.True(exit == 0, error);
        Assert.Contains("Test acc", output);
        Assert.Contains("epoch 1/1", error);
        var rows = File.ReadAllLines(Path.Combine(dir, "variants.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["mlp", "cnn"], rows.Select(r => r[0]));
        foreach (var r in rows)
        {
            Assert.Equal("1", r[6]);
            var accuracy = double.Parse(r[7], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(accuracy, 0.0, 1.0);
            Assert.True(double.Parse(r[9], System.Globalization.CultureInfo.InvariantCulture) > 0, $"{r[0]}: images/s {r[9]}");
        }
    }

    [Fact]
    public void Unknown_studies_and_bad_values_are_usage_errors()
    {
        var (exit, _, error) = Run("variants", "--study", "nope");
        Assert.Equal(2, exit);
        Assert.Contains("vgg-stacking, skip, mlp-vs-cnn, separable", error);
        (exit, _, error) = Run("variants", "--study", "skip", "--epochs", "-1");
        Assert.Equal(2, exit);
        Assert.Contains("--epochs -1", error);
        (exit, _, error) = Run("variants");
        Assert.Equal(2, exit);
        Assert.Contains("--study", error);
        var (listExit, list, _) = Run("variants", "--list");
        Assert.Equal(0, listExit);
        Assert.Contains("residual-20", list);
    }
}
