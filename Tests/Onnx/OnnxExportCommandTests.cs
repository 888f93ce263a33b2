using Functional.Data;
using Functional.Dsl.Zoo;
using Functional.Io;
using Functional.Random;
using Functional.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit;

namespace Functional.Tests.Onnx;

/// <summary><c>export --checkpoint FILE --onnx OUT</c>: the written graph runs in ONNX Runtime, with a recorded
/// normalisation applied inside it; bad input is one line and exit code 2.</summary>
public sealed class OnnxExportCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("onnx-cli").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Export_puts_the_recorded_normalisation_in_front_of_the_graph()
    {
        var model = OnnxRuntimeCheck.Build(LeNet.Modern(), Shape.Image(1, 28, 28));
        var norm = Normalization.PerChannel([0.29f], [0.35f]);
        var checkpoint = Path.Combine(dir, "lenet.safetensors");
        ModelCheckpoint.Save(checkpoint, model, normalization: norm);
        var onnx = Path.Combine(dir, "lenet.onnx");

        var (code, output, error) = InProcessCli.Run("export", "--checkpoint", checkpoint, "--onnx", onnx);

        Assert.True(code == 0, error);
        Assert.StartsWith($"wrote {onnx}: 1×28×28 → 10", output);
        using var session = new InferenceSession(onnx);
        Assert.Contains("feed it pixels scaled to [0, 1]", session.ModelMetadata.Description);
        var pixels = Tensor.Uniform(Shape.Images(5, 1, 28, 28), Key.FromSeed(4));
        var normalised = Tensor.FromArray(pixels.Shape, pixels.ToArray().Select(p => (p - 0.29f) / 0.35f).ToArray());
        var expected = model.Predict(normalised).ToArray();
        var actual = OnnxRuntimeCheck.Run(session, pixels);
        var scale = expected.Max(Math.Abs);
        Assert.All(expected.Zip(actual), p => Assert.InRange(Math.Abs(p.First - p.Second) / scale, 0, 1e-4));
    }

    [Fact]
    public void Export_without_a_normalisation_takes_the_model_input_as_is()
    {
        var model = OnnxRuntimeCheck.Build(Small.MlpCifar(), Shape.Image(3, 32, 32));
        var checkpoint = Path.Combine(dir, "mlp.safetensors");
        ModelCheckpoint.Save(checkpoint, model);
        var onnx = Path.Combine(dir, "mlp.onnx");
        var (code, _, error) = InProcessCli.Run("export", "--checkpoint", checkpoint, "--onnx", onnx);
        Assert.True(code == 0, error);
        using var session = new InferenceSession(onnx);
        Assert.DoesNotContain("normalises", session.ModelMetadata.Description);
        var x = Tensor.Uniform(Shape.Images(2, 3, 32, 32), Key.FromSeed(5));
        var expected = model.Predict(x).ToArray();
        var actual = OnnxRuntimeCheck.Run(session, x);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-4f));
    }

    [Fact]
    public void A_checkpoint_without_a_description_is_exported_with_model_name_only()
    {
        var model = OnnxRuntimeCheck.Build(Small.MlpCifar(), Shape.Image(3, 32, 32));
        var checkpoint = Path.Combine(dir, "old.safetensors");
        // An older file: tensors and the input shape, but no network description and no architecture name.
        var tensors = model.Parameters.Concat(model.State).ToDictionary(l => l.Path, l => l.Value);
        SafeTensors.Save(checkpoint, tensors, new Dictionary<string, string> { [ModelCheckpoint.InputShapeKey] = "3,32,32" });
        var onnx = Path.Combine(dir, "old.onnx");

        var refused = InProcessCli.Run("export", "--checkpoint", checkpoint, "--onnx", onnx);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--model NAME", refused.Err);

        var (code, _, error) = InProcessCli.Run("export", "--checkpoint", checkpoint, "--onnx", onnx, "--model", "mlp-cifar");
        Assert.True(code == 0, error);
        using var session = new InferenceSession(onnx);
        var x = Tensor.Uniform(Shape.Images(2, 3, 32, 32), Key.FromSeed(6));
        Assert.Equal(model.Predict(x).ToArray(), OnnxRuntimeCheck.Run(session, x), (a, b) => Math.Abs(a - b) <= 1e-4f);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("corrupt")]
    [InlineData("no-folder")]
    public void Bad_input_is_one_line_and_exit_code_2(string what)
    {
        var checkpoint = Path.Combine(dir, "model.safetensors");
        var onnx = Path.Combine(dir, "out.onnx");
        if (what == "corrupt") File.WriteAllBytes(checkpoint, [1, 2, 3]);
        if (what == "no-folder")
        {
            ModelCheckpoint.Save(checkpoint, Small.MlpCifar().Init(Shape.Image(3, 32, 32), 1));
            onnx = Path.Combine(dir, "nowhere", "out.onnx");
        }
        var (code, output, error) = InProcessCli.Run("export", "--checkpoint", checkpoint, "--onnx", onnx);
        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(onnx));
    }
}
