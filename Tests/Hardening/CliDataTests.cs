using Functional.Cli.Checkpoints;
using Functional.Data;
using Functional.Tests.Support;
using Xunit;

namespace Functional.Tests.Hardening;

/// <summary>Bad data and output folders in <c>evaluate</c>, <c>pictures edge</c> and <c>train</c>: one line on
/// stderr, exit 2, the file named, and checked before any training step.</summary>
public sealed class CliDataTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    private static string OneLineError(params string[] args)
    {
        var (code, output, error) = InProcessCli.Run(args);
        Assert.True(code == 2, $"exit {code}; stderr: {error}");
        Assert.DoesNotContain("test accuracy", output);
        // train logs progress on stderr before the error; everything else there must be the one error line.
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.Contains(" info: ", StringComparison.Ordinal));
        Assert.StartsWith("error: ", line);
        Assert.DoesNotContain("   at ", error);
        return line;
    }

    private string Checkpoint()
    {
        var model = Functional.Dsl.Zoo.LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 5);
        return RunCheckpoint.Save(Directory.CreateDirectory(scratch.PathOf("ckpt")).FullName, model, Normalization.Unit(1), 1, 0.5, 200, 1);
    }

    private string BrokenTestSet(Func<byte[], byte[]> breakImages, Func<byte[], byte[]>? breakLabels = null)
    {
        var dir = scratch.DataCopy("broken-" + Guid.NewGuid().ToString("N")[..6]);
        var images = Path.Combine(dir, FashionMnist.TestImages);
        File.WriteAllBytes(images, breakImages(File.ReadAllBytes(images)));
        if (breakLabels is not null)
        {
            var labels = Path.Combine(dir, FashionMnist.TestLabels);
            File.WriteAllBytes(labels, breakLabels(File.ReadAllBytes(labels)));
        }
        return dir;
    }

    [Fact]
    public void A_truncated_test_set_is_one_line_in_evaluate_and_pictures()
    {
        var dir = BrokenTestSet(b => Scratch.Gzip(Scratch.Gunzip(b)[..5000]));
        var images = Path.Combine(dir, FashionMnist.TestImages);
        Assert.StartsWith($"error: {images}: is truncated", OneLineError("evaluate", "--checkpoint", Checkpoint(), "--data", dir));
        Assert.StartsWith($"error: {images}: is truncated", OneLineError("pictures", "edge", "--data", dir, "--out", scratch.PathOf("pictures")));
    }

    [Fact]
    public void An_out_of_range_label_is_one_line_in_evaluate_and_pictures()
    {
        var dir = BrokenTestSet(b => b, l => { var raw = Scratch.Gunzip(l); raw[8 + 3] = 42; return Scratch.Gzip(raw); });
        var labels = Path.Combine(dir, FashionMnist.TestLabels);
        Assert.Equal($"error: {labels}: label 3 is 42, but there are only 10 classes (0..9).", OneLineError("evaluate", "--checkpoint", Checkpoint(), "--data", dir));
        Assert.Equal($"error: {labels}: label 3 is 42, but there are only 10 classes (0..9).", OneLineError("pictures", "edge", "--data", dir, "--out", scratch.PathOf("p")));
    }

    [Fact]
    public void An_empty_test_set_or_one_of_another_image_size_is_refused_by_evaluate()
    {
        var empty = BrokenTestSet(_ => Scratch.Idx(0).Images, _ => Scratch.Idx(0).Labels);
        Assert.Contains("holds no images", OneLineError("evaluate", "--checkpoint", Checkpoint(), "--data", empty));
        var other = BrokenTestSet(_ => Scratch.Idx(200, 32, 32).Images, _ => Scratch.Idx(200).Labels);
        Assert.Equal($"error: {Path.Combine(other, FashionMnist.TestImages)}: holds images of 1×32×32 but the checkpoint's model takes 1×28×28.",
            OneLineError("evaluate", "--checkpoint", Checkpoint(), "--data", other));
    }

    [Fact]
    public void Train_rejects_an_empty_split_before_the_first_step_and_leaves_no_run_folder()
    {
        var dir = scratch.DataCopy("empty-train");
        File.WriteAllBytes(Path.Combine(dir, FashionMnist.TrainImages), Scratch.Idx(0).Images);
        File.WriteAllBytes(Path.Combine(dir, FashionMnist.TrainLabels), Scratch.Idx(0).Labels);
        var runs = scratch.PathOf("runs");
        Assert.Equal($"error: {Path.Combine(dir, FashionMnist.TrainImages)}: holds no images; the training split needs at least one.",
            OneLineError("train", "--data", dir, "--out", runs));
        Assert.Empty(Directory.GetFileSystemEntries(runs));
    }

    [Fact]
    public void Train_rejects_test_images_of_another_size_before_the_first_epoch()
    {
        var dir = scratch.DataCopy("mixed");
        File.WriteAllBytes(Path.Combine(dir, FashionMnist.TestImages), Scratch.Idx(200, 32, 32).Images);
        File.WriteAllBytes(Path.Combine(dir, FashionMnist.TestLabels), Scratch.Idx(200).Labels);
        Assert.Contains("holds images of 1×32×32 but", OneLineError("train", "--data", dir, "--out", scratch.PathOf("runs")));
    }

    [Fact]
    public void Train_refuses_images_larger_than_the_bound()
    {
        var dir = scratch.DataCopy("large");
        File.WriteAllBytes(Path.Combine(dir, FashionMnist.TrainImages), Scratch.Gzip(IdxHardeningTests.Header(500, 4096, 4096)));
        Assert.Contains("images of 4096×4096 pixels, larger than the 512×512 allowed",
            OneLineError("train", "--data", dir, "--out", scratch.PathOf("runs")));
        Assert.Contains("larger than the 20×20 allowed",
            OneLineError("train", "--data", Scratch.Fixture, "--max-image-side", "20", "--out", scratch.PathOf("runs")));
    }

    [Fact]
    public void An_out_that_is_a_file_or_cannot_be_written_is_one_line()
    {
        var file = scratch.Write("a-file", [1, 2, 3]);
        Assert.Equal($"error: --out {file}: is a file; give a folder (it receives one folder per run).",
            OneLineError("train", "--data", Scratch.Fixture, "--out", file));
        Assert.StartsWith($"error: --out {file}/below: cannot be written",
            OneLineError("train", "--data", Scratch.Fixture, "--out", Path.Combine(file, "below")));
        Assert.StartsWith("error: --out /proc/functional-runs: cannot be written",
            OneLineError("train", "--data", Scratch.Fixture, "--out", "/proc/functional-runs"));
    }
}
