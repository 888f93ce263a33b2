using System.Text.Json;
using Functional.Dsl.Zoo;
using Xunit;

namespace Functional.Tests;

/// <summary>
/// The zoo against PyTorch peers (Fixtures/zoo-torch.json, written by tools/zoo_torch_shapes.py from torchvision
/// and plain nn.Sequential models): the same tensor paths and shapes, and the same output shape at every layer
/// both sides name, all from shapes alone.
/// </summary>
public class ZooTorchTests
{
    private static readonly JsonElement Fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "zoo-torch.json"))).RootElement;

    private static Shape ShapeOf(JsonElement dims) => Shape.Of(dims.EnumerateArray().Select(d => d.GetInt32()));

    [Theory]
    [InlineData("lenet5")]
    [InlineData("alexnet")]
    [InlineData("vgg11")]
    [InlineData("vgg16")]
    [InlineData("vgg19")]
    [InlineData("resnet18")]
    [InlineData("resnet34")]
    [InlineData("resnet18-cifar")]
    [InlineData("mobilenet-v1")]
    [InlineData("cnn-cifar")]
    [InlineData("mlp-cifar")]
    public void Paths_and_shapes_match_the_PyTorch_state_dict(string name)
    {
        var entry = Catalog.Get(name);
        var torch = Fixture.GetProperty(name);
        Assert.Equal(entry.Input, ShapeOf(torch.GetProperty("input")));
        var theirs = torch.GetProperty("tensors").EnumerateArray().Select(t => (Path: t[0].GetString()!, Shape: ShapeOf(t[1]))).ToArray();
        static bool IsState(string path) => path.EndsWith(".running_mean", StringComparison.Ordinal) || path.EndsWith(".running_var", StringComparison.Ordinal);
        var ours = entry.Build().TensorShapes(entry.Input);
        Assert.Equal(theirs.Where(t => !IsState(t.Path)).Select(t => $"{t.Path} {t.Shape}"), ours.Where(t => t.Trainable).Select(t => $"{t.Path} {t.Shape}"));
        Assert.Equal(theirs.Where(t => IsState(t.Path)).Select(t => $"{t.Path} {t.Shape}"), ours.Where(t => !t.Trainable).Select(t => $"{t.Path} {t.Shape}"));
    }

    [Theory]
    [InlineData("lenet5")]
    [InlineData("alexnet")]
    [InlineData("vgg16")]
    [InlineData("resnet18")]
    [InlineData("resnet34")]
    [InlineData("resnet18-cifar")]
    [InlineData("mobilenet-v1")]
    [InlineData("cnn-cifar")]
    [InlineData("mlp-cifar")]
    public void Every_layer_with_parameters_has_PyTorchs_output_shape(string name)
    {
        var entry = Catalog.Get(name);
        var outputs = Fixture.GetProperty(name).GetProperty("outputs");
        var rows = entry.Build().Trace(entry.Input);
        var compared = 0;
        foreach (var row in rows)
        {
            if (!outputs.TryGetProperty(row.Path, out var theirs))
            {
                Assert.True(row.Parameters == 0, $"{name}: layer '{row.Path}' has parameters but no PyTorch module of that name");
                continue;
            }
            Assert.True(ShapeOf(theirs) == row.Output, $"{name}: '{row.Path}' ({row.Layer}) gives {row.Output}, PyTorch {ShapeOf(theirs)}");
            compared++;
        }
        Assert.True(compared >= rows.Count(r => r.Parameters > 0), $"{name}: only {compared} layers compared");
    }
}
