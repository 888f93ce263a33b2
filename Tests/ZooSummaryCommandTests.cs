using Functional.Tests.Support;
using Functional.Cli;
using Xunit;

namespace Functional.Tests;

/// <summary>The <c>summary</c> command run in-process.</summary>
public class ZooSummaryCommandTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args) => InProcessCli.Run(args);

    [Fact]
    public void Summary_of_lenet5_lists_every_layer_with_shapes_and_the_total()
    {
        var (exit, output, error) = Run("summary", "lenet5");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("Total params: 61,706", output);
        var conv2 = output.Split('\n').Single(l => l.StartsWith("3 ", StringComparison.Ordinal));
        Assert.Matches(@"^3\s+Conv\(16, 5\)\s+16×10×10\s+2,416\s+240,000\s+14/2/4\.5\s+14/2/4\.5", conv2);
        Assert.Matches(@"\n11\s+Dense\(10\)\s+10\s+850\s", output);
    }

    [Fact]
    public void Summary_takes_another_input_and_warns_about_unread_rows()
    {
        var (exit, output, _) = Run("summary", "alexnet", "--input", "3x224x224");
        Assert.Equal(0, exit);
        Assert.Contains("Warning: layer 0.0 'features.0' (Conv(96, 11, stride 4)): stride leaves the last 1 of 224 along H and the last 1 of 224 along W unread", output);
    }

    [Fact]
    public void Summary_reports_a_model_that_does_not_fit_its_input_in_one_line()
    {
        var (exit, output, error) = Run("summary", "lenet5", "--input", "1x8x8");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: layer 3 (Conv(16, 5)):", error);
        Assert.Contains("input 4 along H (padded: 4+2·0 = 4) is smaller than the dilated kernel 5 (o = ⌊(4+2·0−1·(5−1)−1)/1⌋+1 = 0)", error);
    }

    [Fact]
    public void Summary_of_an_unknown_model_lists_the_zoo()
    {
        var (exit, _, error) = Run("summary", "resnet50");
        Assert.Equal(2, exit);
        Assert.Equal("error: No zoo model is called 'resnet50'; choose one of lenet5, lenet5-tanh, lenet5-classic, cnn-cifar, mlp-cifar, mobilenet-v1, resnet18-cifar, resnet18, resnet34, alexnet, vgg11, vgg16, vgg19.", error.Trim());
    }
}
