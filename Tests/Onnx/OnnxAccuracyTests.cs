using System.Text.RegularExpressions;
using Functional.Data;
using Functional.Dsl.Zoo;
using Functional.Io;
using Functional.Random;
using Functional.Tests.Support;
using Functional.Training;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace Functional.Tests.Onnx;

/// <summary>
/// A checkpoint that records its normalisation, exported by the CLI: ONNX Runtime, fed the IDX reader's pixels
/// scaled to [0, 1], classifies the Fashion-MNIST test images exactly as often correctly as <c>evaluate</c> does.
/// </summary>
public sealed class OnnxAccuracyTests : IDisposable
{
    private static readonly string Extract = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");
    private readonly string dir = Directory.CreateTempSubdirectory("onnx-accuracy").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Onnx_runtime_accuracy_equals_evaluate_on_the_committed_extract() => Check(Extract);

    [FactWhenFashionMnistInstalled]
    public void Onnx_runtime_accuracy_equals_evaluate_on_the_10000_test_images() => Check(FashionMnist.DebianDirectory);

    private void Check(string data)
    {
        // One epoch on the extract's 500 training images: a model with real decisions near their margins.
        var train = FashionMnist.Load(Extract);
        var norm = Normalization.Of(train.Train);
        var loader = DataLoader.Over(train.Train, 50).Shuffled(Key.FromSeed(1)).Normalized(norm);
        var model = Trainer.Fit(LeNet.Modern().Init(train.Train.SampleShape, seed: 7), Optimizer.Adam(3e-3), loader, test: null, new FitOptions(Epochs: 1, Seed: 7)).Model;
        var checkpoint = Path.Combine(dir, "model.safetensors");
        ModelCheckpoint.Save(checkpoint, model, normalization: norm);
        var onnx = Path.Combine(dir, "model.onnx");
        Assert.Equal(0, InProcessCli.Run("export", "--checkpoint", checkpoint, "--onnx", onnx).Exit);

        var (code, output, error) = InProcessCli.Run("evaluate", "--checkpoint", checkpoint, "--data", data);
        Assert.True(code == 0, error);
        var m = Regex.Match(output, @"\((\d+) of (\d+) correct\)");
        Assert.True(m.Success, output);
        var (evaluated, count) = (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));

        var test = FashionMnist.Load(data).Test;
        using var session = new InferenceSession(onnx);
        var correct = 0;
        foreach (var batch in DataLoader.Over(test, 500).Epoch(0))
        {
            var logits = OnnxRuntimeCheck.Run(session, batch.Images);
            for (var i = 0; i < batch.Count; i++)
                if (ArgMax(logits.AsSpan(i * 10, 10)) == batch.Labels[i]) correct++;
        }
        Assert.Equal(test.Count, count);
        Assert.InRange(evaluated, count / 5 + 1, count);   // better than chance, or the equality would say little
        Assert.Equal(evaluated, correct);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }
}
