using System.Diagnostics;
using Functional.Io.Onnx;
using Functional.Network;
using Functional.Random;
using Xunit;
using Xunit.Abstractions;
using static Functional.Dsl.Layers;
using OnnxIo = Functional.Io.Onnx.Onnx;

namespace Functional.Tests.Fuzz;

/// <summary>Corrupted copies of real ONNX files (our export of a small net with and without a normalisation, PyTorch's
/// exports in the committed fixture): each imports as a model that runs, or fails with an
/// <see cref="OnnxFormatException"/> in one line naming the file; never another exception or a read out of range.</summary>
public sealed class OnnxFuzzTests(ITestOutputHelper log)
{
    private const int Cases = 250;

    [Fact]
    public void Corrupted_onnx_files_import_or_fail_in_one_line()
    {
        var clock = Stopwatch.StartNew();
        var seed = FuzzKit.Seed(7);
        var fuzz = new FuzzKit(seed);
        // A small network of many layer kinds: each case parses a few kilobytes, so the run stays short.
        var ours = Sequential(Conv(4, 3, padding: Padding.Same), BatchNorm, ReLU, Residual(Sequential(Conv(4, 3, padding: 1), BatchNorm), after: ReLU),
            MaxPool(2), Concat(Conv(2, 1), Channels(1, 3)), AdaptiveAvgPool(3), Flatten, Dense(10), LogSoftmax).Init(Shape.Image(1, 12, 12), 3);
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx");
        byte[][] originals =
        [
            ours.ToOnnx(), ours.ToOnnx(Functional.Data.Normalization.PerChannel([0.3f], [0.4f])),
            File.ReadAllBytes(Path.Combine(fixtures, "resnet-block.onnx")), File.ReadAllBytes(Path.Combine(fixtures, "patterns.onnx")),
        ];
        int imported = 0, rejected = 0;
        for (var i = 0; i < Cases; i++)
        {
            var original = fuzz.Pick(originals);
            // The nodes and the network's description come before the weights (ours) or between them (PyTorch's):
            // half the mutations aim at the first 4 KB, where most of the structure is.
            var bytes = fuzz.Corrupt(original, Math.Min(original.Length, 4096));
            var (label, name) = ($"onnx case {i} (seed {seed})", $"case{i}.onnx");
            Model? model = null;
            var e = FuzzKit.Timed(label, () => model = OnnxIo.Import(name, bytes));
            FuzzKit.AssertTyped(label, name, e, typeof(OnnxFormatException));
            if (model is null) { rejected++; continue; }
            imported++;
            // A model that imports runs: its layers fit its input.
            var run = FuzzKit.Timed(label, () => model.Predict(Tensor.Uniform(model.InputShape.WithBatch(1), Key.FromSeed(i))));
            Assert.True(run is null, $"{label}: the imported model {model.Architecture} does not run: {run}");
        }
        log.WriteLine(FuzzKit.Summary("ONNX files", Cases, seed, clock) + $": {imported} imported, {rejected} rejected");
        Assert.True(imported > 0 && rejected > Cases / 4, $"the mutations should both keep and break files: {imported} imported, {rejected} rejected");
    }
}
