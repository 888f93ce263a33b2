using Functional.Tests.Support;
using Functional.Cli;
using Functional.Cli.Checkpoints;
using Functional.Cli.Evaluation;
using Functional.Cli.Pictures;
using Functional.Data;
using Functional.Io;
using Functional.Network;
using Functional.Ops;
using Functional.Random;
using Xunit;

namespace Functional.Tests;

/// <summary>A short run on the committed fixture (plain SGD, two epochs), shared by the run-folder tests.</summary>
public sealed class ShortRun : IDisposable
{
    public static readonly string Data = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");

    public ShortRun()
    {
        var splits = FashionMnist.Load(Data);
        Test = splits.Test;
        Normalization = Normalization.Of(splits.Train);
        Model = Functional.Dsl.Zoo.LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 3);
        var loader = DataLoader.Over(splits.Train, 25).Normalized(Normalization).Shuffled(Key.FromSeed(4));
        for (var epoch = 0; epoch < 2; epoch++)
        {
            double loss = 0; var correct = 0;
            foreach (var batch in loader.Epoch(epoch))
            {
                var step = Model.LossAndGradients(Loss.CrossEntropy, batch.Images, batch.Labels, Key.FromSeed(epoch));
                loss += step.Loss * batch.Count;
                correct += Enumerable.Range(0, batch.Count).Count(i => ArgMax(step.Output, i) == batch.Labels[i]);
                Model = Model.WithParameters(Model.Parameters.Zip(step.Gradients, (p, g) =>
                    Tensor.FromArray(p.Shape, p.ToArray().Zip(g.ToArray(), (a, b) => a - 0.1f * b).ToArray())));
            }
            var eval = Evaluator.Run(Model, Test, Normalization);
            TrainLoss.Add(loss / splits.Train.Count); TrainAccuracy.Add((double)correct / splits.Train.Count);
            TestLoss.Add(eval.Loss); TestAccuracy.Add(eval.Accuracy);
            Last = eval;
        }
        RunCheckpoint.Save(Directory, Model, Normalization, 2, Last!.Accuracy, Test.Count, steps: 40);
        Pictures = RunFolderPictures.Write(Directory, Model, new Curves(TrainLoss, TestLoss, TrainAccuracy, TestAccuracy), Test, Normalization, Last.Confusion);
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("run").FullName;
    public Model Model { get; }
    public Dataset Test { get; }
    public Normalization Normalization { get; }
    public List<double> TrainLoss { get; } = [];
    public List<double> TestLoss { get; } = [];
    public List<double> TrainAccuracy { get; } = [];
    public List<double> TestAccuracy { get; } = [];
    internal EvaluationResult? Last { get; }
    public IReadOnlyList<string> Pictures { get; }

    public static int ArgMax(Tensor logits, int row)
    {
        var k = logits.Shape[1];
        var v = logits.Span.Slice(row * k, k);
        var best = 0;
        for (var j = 1; j < k; j++) if (v[j] > v[best]) best = j;
        return best;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>model.safetensors and the four pictures of a run folder, and <c>evaluate</c> on its checkpoint.</summary>
public class RunFolderTests(ShortRun run) : IClassFixture<ShortRun>
{
    private static (int Exit, string Out, string Err) Cli(params string[] args) => InProcessCli.Run(args);

    [Fact]
    public void The_short_run_learned_something()
    {
        Assert.True(run.TrainLoss[1] < run.TrainLoss[0], $"train loss {run.TrainLoss[0]} → {run.TrainLoss[1]}");
        Assert.True(run.Last!.Accuracy > 0.25, $"test accuracy {run.Last.Accuracy} after two epochs on 500 images; chance is 0.1");
    }

    [Fact]
    public void Evaluate_reproduces_the_reported_accuracy_exactly()
    {
        var (exit, output, error) = Cli("evaluate", "--checkpoint", Path.Combine(run.Directory, "model.safetensors"), "--data", ShortRun.Data);
        Assert.True(exit == 0, error + output);
        var lines = output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal($"test accuracy: {run.Last!.Accuracy:F4}", lines[0]);
        Assert.Contains($"({run.Last.Correct} of 200 correct)", lines[1]);
        Assert.Contains("model: lenet5, epoch 2, 61,706 parameters", output);
        Assert.Contains("reproduced", output);
    }

    [Fact]
    public void Evaluate_on_another_test_set_or_a_broken_file_is_a_one_line_error()
    {
        var (exit, _, error) = Cli("evaluate", "--checkpoint", Path.Combine(run.Directory, "model.safetensors"), "--data", "/no/such/folder");
        Assert.Equal(CliErrors.UsageExitCode, exit);
        Assert.Contains("/no/such/folder does not hold t10k-images-idx3-ubyte.gz", error);

        var broken = Path.Combine(run.Directory, "broken.safetensors");
        var tensors = run.Model.Parameters.ToDictionary(l => l.Path, l => l.Value);
        tensors["7.weight"] = Tensor.Zeros(Shape.Of(100, 400));
        SafeTensors.Save(broken, tensors, new Dictionary<string, string> { ["architecture"] = "lenet5", ["input_shape"] = "1,28,28" });
        (exit, _, error) = Cli("evaluate", "--checkpoint", broken, "--data", ShortRun.Data);
        Assert.Equal(CliErrors.UsageExitCode, exit);
        Assert.Equal($"error: {broken}: does not match the architecture: tensor '7.weight' is 100×400 in the file but the model needs 120×400.", error.Trim());
    }

    [Fact]
    public void Every_picture_is_a_valid_png_of_the_rendered_pixels()
    {
        Assert.Equal(RunFolderPictures.FileNames.Select(f => Path.Combine(run.Directory, f)), run.Pictures);
        foreach (var path in run.Pictures)
        {
            var png = PicturesPngReader.Decode(File.ReadAllBytes(path));
            Assert.Equal(["IHDR", "IDAT", "IEND"], png.ChunkTypes);
            Assert.InRange(png.Width, 200, 2000);
            Assert.InRange(png.Height, 150, 2000);
            Assert.Contains(png.Pixels, b => b < 128);   // something is drawn on the white page
        }
        Assert.Empty(Directory.GetFiles(run.Directory, "*.tmp"));
    }

    [Fact]
    public void Conv1_activations_are_the_first_conv_and_relu_of_the_model()
    {
        var conv1 = FirstConv.Of(run.Model);
        Assert.Equal("Conv(6, 5, padding 2) → ReLU", conv1.Title);
        Assert.Same(run.Model.Parameters["0.weight"], conv1.Weight);
        var x = DataLoader.Over(run.Test.Take(4), 4).Normalized(run.Normalization).Epoch(0).Single().Images;
        var spec = new ConvSpec(2, 6, [5], padding: 2);
        // The same backend as the model's (loading picks the Cpu backend), so the comparison can be exact.
        var context = run.Model.Context;
        var expected = Activation.ReLU.Forward(context,
            Conv.Forward(context, spec, x, run.Model.Parameters["0.weight"], run.Model.Parameters["0.bias"]));
        Assert.Equal(expected.ToArray(), conv1.Activations(x).ToArray());
    }

    [Fact]
    public void Confusion_counts_every_test_image_once_with_correct_ones_on_the_diagonal()
    {
        var c = run.Last!.Confusion;
        Assert.Equal(200, c.Cast<int>().Sum());
        Assert.Equal(run.Last.Correct, Enumerable.Range(0, 10).Sum(i => c[i, i]));
        for (var t = 0; t < 10; t++)
            Assert.Equal(Enumerable.Range(0, 200).Count(i => run.Test.Label(i) == t), Enumerable.Range(0, 10).Sum(p => c[t, p]));
    }

    [Fact]
    public void Epoch_axes_tick_whole_epochs_only()
    {
        Assert.Equal([1.0, 2.0], Functional.Pictures.Axis.Nice(1, 2, 8, whole: true).Ticks);
        Assert.Equal([0.0, 1.0, 2.0], Functional.Pictures.Axis.Nice(1, 1, 8, whole: true).Ticks);   // a one-epoch run
        Assert.All(Functional.Pictures.Axis.Nice(1, 37, 8, whole: true).Ticks, t => Assert.Equal(Math.Round(t), t));
        Assert.Equal("2", Functional.Pictures.Axis.Nice(1, 2, 8, whole: true).Label(2));
    }

    [Fact]
    public void A_colour_prints_its_channels()
    {
        Assert.Equal("Rgb(214, 96, 77)", new Functional.Pictures.Rgb(214, 96, 77).ToString());   // the generated one recursed forever
    }

    [Fact]
    public void Filters_share_one_symmetric_scale_so_the_strongest_weight_is_fully_saturated()
    {
        var w = run.Model.Parameters["0.weight"];
        var picture = RunPictures.Filters(w);
        var strongest = w.ToArray().MaxBy(Math.Abs);
        var extreme = strongest > 0 ? Functional.Pictures.Colormap.Diverging(1) : Functional.Pictures.Colormap.Diverging(0);
        var found = false;
        for (var y = 0; y < picture.Height && !found; y++)
            for (var x = 0; x < picture.Width && !found; x++) found = picture[x, y] == extreme;
        Assert.True(found, $"no pixel has the colour {extreme} of the strongest weight {strongest}");
    }
}
