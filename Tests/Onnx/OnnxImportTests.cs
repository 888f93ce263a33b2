using Functional.Io;
using Functional.Io.Onnx;
using Functional.Network;
using Xunit;
using OnnxIo = Functional.Io.Onnx.Onnx;
using Xunit.Abstractions;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Onnx;

/// <summary>Import of files written by PyTorch's exporter (committed fixture, tools/make_onnx_fixture.py) and by
/// our own exporter (round trip).</summary>
public sealed class OnnxImportTests(ITestOutputHelper log)
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "onnx");

    [Theory]
    [InlineData("lenet5")]
    [InlineData("resnet-block")]
    [InlineData("separable")]
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

    [Fact]
    public void Export_then_import_gives_back_an_equal_network_and_parameters()
    {
        var layer = Sequential(
            Conv(4, 3, padding: 1), BatchNorm, ReLU,
            Residual(Sequential(Conv(4, 3, padding: 1, bias: false), BatchNorm, LeakyReLU(0.2f), Conv(4, 3, padding: 1, paddingMode: PaddingMode.Reflect))),
            Residual(Sequential(Conv(6, 3, stride: 2, padding: 1), BatchNorm)), Tanh,
            MaxPool(2, stride: 1, padding: 1, ceil: true), Concat(Conv(2, 1), Sequential(Conv(3, (3, 1), padding: (1, 0)), Sigmoid)),
            AvgPool(2, countIncludePad: false), ConvTranspose(3, 2, stride: 2), GlobalAvgPool, Flatten, Dense(7), ReLU, Dense(3, bias: false), LogSoftmax);
        var model = OnnxRuntimeCheck.Build(layer, Shape.Image(3, 8, 8));

        var back = OnnxIo.Import("roundtrip.onnx", model.ToOnnx());

        var (expected, actual) = (((Network.Combinators.Chain)model.Architecture).Layers, ((Network.Combinators.Chain)back.Architecture).Layers);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.True(expected[i].Equals(actual[i]), $"layer {i}: {expected[i]} became {actual[i]}");
        Assert.Equal(model.Architecture, back.Architecture);
        Assert.Equal(model.InputShape, back.InputShape);
        foreach (var (a, b) in model.Parameters.Concat(model.State).Zip(back.Parameters.Concat(back.State)))
        {
            Assert.Equal(a.Path, b.Path);
            Assert.Equal(a.Value.ToArray(), b.Value.ToArray());
        }
        Assert.Equal(model.Parameters.Count, back.Parameters.Count);
        Assert.Equal(model.State.Count, back.State.Count);
    }
}
