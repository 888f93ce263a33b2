using Functional.Dsl.Zoo;
using Xunit;

namespace Functional.Tests;

public class ZooTests
{
    [Theory]
    [InlineData("lenet5", 61_706, "10")]
    [InlineData("lenet5-tanh", 61_706, "10")]
    [InlineData("lenet5-classic", 60_850, "10")]
    [InlineData("alexnet", 62_378_344, "1000")]
    [InlineData("vgg11", 132_863_336, "1000")]
    [InlineData("vgg16", 138_357_544, "1000")]
    [InlineData("vgg19", 143_667_240, "1000")]
    [InlineData("resnet18", 11_689_512, "1000")]
    [InlineData("resnet34", 21_797_672, "1000")]
    [InlineData("resnet18-cifar", 11_173_962, "10")]
    [InlineData("mobilenet-v1", 4_231_976, "1000")]
    [InlineData("mlp-cifar", 199_082, "10")]
    [InlineData("cnn-cifar", 14_938, "10")]
    public void Zoo_models_have_the_published_parameter_totals(string name, long parameters, string output)
    {
        var entry = Catalog.Get(name);
        var net = entry.Build();
        Assert.Equal(parameters, net.ParameterCount(entry.Input));
        Assert.Equal(output, net.OutputShape(entry.Input).ToString());
        Assert.Contains($"Total params: {parameters:N0}", net.Summary(entry.Input).ToString());
    }

    [Fact]
    public void The_seed_single_conv_example_has_760_parameters_and_keeps_32_by_32()
    {
        var conv = Dsl.Layers.Conv(10, 5, padding: 2);
        Assert.Equal(760, conv.ParameterCount(Shape.Image(3, 32, 32)));
        Assert.Equal(Shape.Image(10, 32, 32), conv.OutputShape(Shape.Image(3, 32, 32)));
    }

    [Fact]
    public void Unknown_zoo_names_list_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => Catalog.Get("resnet50"));
        Assert.Contains("No zoo model is called 'resnet50'", e.Message);
        Assert.Contains("resnet18-cifar", e.Message);
    }
}
