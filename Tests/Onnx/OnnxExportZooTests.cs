using Xunit;
using Functional.Dsl.Zoo;
using Functional.Network;
using Xunit.Abstractions;

namespace Functional.Tests.Onnx;

/// <summary>The zoo's networks, exported and run by ONNX Runtime, agree with Predict at batch sizes 1 and 5.
/// ImageNet-form nets run on small images (their global pooling takes any size) to keep the suite fast.</summary>
public sealed class OnnxExportZooTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("lenet5", 1, 28, 28)]
    [InlineData("lenet5-tanh", 1, 28, 28)]
    [InlineData("lenet5-classic", 1, 32, 32)]
    [InlineData("mlp-cifar", 3, 32, 32)]
    [InlineData("cnn-cifar", 3, 32, 32)]
    [InlineData("resnet18-cifar", 3, 32, 32)]
    [InlineData("resnet18", 3, 32, 32)]
    [InlineData("resnet34", 3, 32, 32)]
    [InlineData("mobilenet-v1", 3, 32, 32)]
    public void Zoo_model_agrees_with_onnx_runtime(string name, int c, int h, int w)
    {
        var model = OnnxRuntimeCheck.Build(Catalog.Get(name).Build(), Shape.Image(c, h, w));
        var error = OnnxRuntimeCheck.Agrees(model);
        log.WriteLine($"{name}: max relative error {error:E2}");
    }
}
