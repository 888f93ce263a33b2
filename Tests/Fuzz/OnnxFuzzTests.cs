using System.Diagnostics;
using Functional.Dsl.Zoo;
using Functional.Io.Onnx;
using Functional.Network;
using Functional.Random;
using Xunit;
using Xunit.Abstractions;
using OnnxIo = Functional.Io.Onnx.Onnx;

namespace Functional.Tests.Fuzz;

/// <summary>Corrupted copies of real ONNX files (our export of LeNet-5 with and without a normalisation, PyTorch's
/// exports in the committed fixture): each imports as a model that runs, or fails with an
/// <see cref="OnnxFormatException"/> in one line naming the file; never another exception or a read out of range.</summary>
public sealed class OnnxFuzzTests(ITestOutputHelper log)
{
    private const int Cases = 300;

    [Fact]
    public void Corrupted_onnx_files_import_or_fail_in_one_line()
    {
        var clock = Stopwatch.StartNew();
        var seed = FuzzKit.Seed(7);
        var fuzz = new FuzzKit(seed);
        var lenet = LeNet.Modern().Init(Shape.Image(1, 28, 28), 3);
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx");
        byte[][] originals =
        [
            lenet.ToOnnx(), lenet.ToOnnx(Functional.Data.Normalization.PerChannel([0.3f], [0.4f])),
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
