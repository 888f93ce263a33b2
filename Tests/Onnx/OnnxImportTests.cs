using Functional.Io;
using Functional.Io.Onnx;
using Functional.Network;
using Xunit;
using OnnxIo = Functional.Io.Onnx.Onnx;
using Xunit.Abstractions;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Onnx;

/// <summary>Import of files written by PyTorch's exporter (committed fixture, tools/make_onnx_fixture.py): LeNet-5, a
/// CIFAR ResNet stage, a depthwise-separable block, and the exporter's multi-node patterns (unequal pads, reshapes
/// computed from the input's shape, bias Adds apart from their MatMuls).</summary>
public sealed class OnnxImportTests(ITestOutputHelper log)
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx");

    [Theory]
    [InlineData("lenet5")]
    [InlineData("resnet-block")]
    [InlineData("separable")]
    [InlineData("patterns")]
    public void Import_of_a_torch_export_predicts_torch_outputs(string name)
    {
        var model = OnnxIo.Import(Path.Combine(Fixtures, $"{name}.onnx"));
        var io = SafeTensors.Load(Path.Combine(Fixtures, $"{name}.io.safetensors")).Tensors;
        var expected = io["output"].ToArray();
        var actual = model.Predict(io["input"]).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var error = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max() / expected.Max(Math.Abs);
        log.WriteLine($"{name}: {model.Architecture.Description}, max relative error {error:E2}");
        Assert.True(error <= 1e-4, $"max relative error {error:E2}");
    }
}
