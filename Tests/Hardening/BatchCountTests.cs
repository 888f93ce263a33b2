using Functional.Data;
using Functional.Random;
using Functional.Tests.Support;
using Functional.Training;
using Xunit;

namespace Functional.Tests.Hardening;

/// <summary>A batch larger than the data is one batch holding everything, up to int.MaxValue; it never overflows
/// into zero batches (which "trained" nothing and still reported an accuracy).</summary>
public class BatchCountTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");

    private static Dataset Data(int n) =>
        Dataset.FromBytes(Shape.Image(1, 2, 2), new byte[n * 4], Enumerable.Range(0, n).Select(i => (byte)(i % 3)).ToArray(), 3);

    [Theory]
    [InlineData(10, 3, 4)]
    [InlineData(10, 10, 1)]
    [InlineData(10, 11, 1)]
    [InlineData(10, int.MaxValue - 1, 1)]
    [InlineData(10, int.MaxValue, 1)]
    [InlineData(1, int.MaxValue, 1)]
    public void A_batch_larger_than_the_data_is_one_batch(int samples, int batchSize, int batches)
    {
        var loader = DataLoader.Over(Data(samples), batchSize);
        Assert.Equal(batches, loader.BatchCount);
        var epoch = loader.Shuffled(Key.FromSeed(1)).Epoch(0).ToList();
        Assert.Equal(batches, epoch.Count);
        Assert.Equal(Enumerable.Range(0, samples), epoch.SelectMany(b => b.Indices).Order());
        Assert.Equal(samples, loader.SampleCount);
    }

    [Fact]
    public void Dropping_the_last_batch_of_a_batch_larger_than_the_data_leaves_none_and_fit_refuses_it()
    {
        var loader = DataLoader.Over(Data(10), int.MaxValue).WithDropLast();
        Assert.Equal(0, loader.BatchCount);
        var model = Functional.Dsl.Layers.Flatten.Then(Functional.Dsl.Layers.Dense(3)).Init(Shape.Image(1, 2, 2), seed: 1);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(model, Optimizer.Sgd(0.1), loader, DataLoader.Over(Data(4), 2), new FitOptions(1, 1)));
        Assert.Contains("yields no batches (10 samples, batch size 2147483647, incomplete batch dropped)", e.Message);
    }

    [Fact]
    public void Train_with_the_largest_batch_size_takes_one_step_per_epoch()
    {
        var root = Directory.CreateTempSubdirectory("batch-").FullName;
        try
        {
            var (code, output, error) = InProcessCli.Run("train", "--data", Fixture, "--epochs", "2", "--limit", "40", "--batch-size", "2147483647", "--out", root);
            Assert.True(code == 0, error);
            var folder = output.Split('\n').First(l => l.StartsWith("run folder: ", StringComparison.Ordinal))["run folder: ".Length..].Trim();
            var steps = File.ReadAllLines(Path.Combine(folder, "history.csv")).Skip(1).Select(l => l.Split(',')[1]);
            Assert.Equal(["1", "2"], steps);   // cumulative optimizer steps: one per epoch
        }
        finally { Directory.Delete(root, true); }
    }

    [Fact]
    public void Evaluate_with_the_largest_batch_evaluates_every_test_image()
    {
        var dir = Directory.CreateTempSubdirectory("eval-").FullName;
        try
        {
            var test = FashionMnist.Load(Fixture).Test;
            var model = Functional.Dsl.Zoo.LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 3);
            var path = Functional.Cli.Checkpoints.RunCheckpoint.Save(dir, model, Normalization.Unit(1), 1, 0.5, test.Count, 1);
            var (code, output, error) = InProcessCli.Run("evaluate", "--checkpoint", path, "--data", Fixture, "--batch", "2147483647");
            Assert.Equal("", error);
            Assert.Contains($"of {test.Count} correct", output);
            Assert.InRange(code, 0, 1);   // 1: the accuracy differs from the 0.5 recorded above
        }
        finally { Directory.Delete(dir, true); }
    }
}
