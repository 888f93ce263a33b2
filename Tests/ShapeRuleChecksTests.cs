using Xunit;

namespace Functional.Tests;

/// <summary>Every hyper-parameter check rejects what it should, and its message quotes the layer, dim, numbers and rule.</summary>
public class ShapeRuleChecksTests
{
    private static string Fails(Action check) => Assert.Throws<ShapeException>(check).Message;

    private static void ContainsAll(string message, params string[] parts)
    {
        foreach (var part in parts) Assert.Contains(part, message);
    }

    [Fact]
    public void Valid_settings_pass_every_check()
    {
        ShapeRules.CheckConvDim("Conv2d", "H", 32, 5, 1, 2, 2, 1);
        ShapeRules.CheckConvDim("Conv2d", "H", 5, 5, 1, 0, 0, 1);
        ShapeRules.CheckChannels("Conv2d", 32, 64, 32);
        ShapeRules.CheckPoolDim("MaxPool2d", "W", 5, 3, 2, 1, 1, ceilMode: true);
        ShapeRules.CheckTransposedDim("ConvTranspose2d", "H", 5, 3, 2, 1, 1, 1);
    }

    [Fact]
    public void Kernel_larger_than_the_padded_input_quotes_the_formula()
    {
        var m = Fails(() => ShapeRules.CheckConvDim("Conv2d 'conv2'", "H", 3, 5, 1, 0, 0, 1));
        Assert.StartsWith("Conv2d 'conv2': ", m);
        ContainsAll(m, "along H", "input 3", "dilated kernel 5", "o = ⌊(3+2·0−1·(5−1)−1)/1⌋+1 = −1");
    }

    [Fact]
    public void Dilated_kernel_is_spelled_out()
    {
        var m = Fails(() => ShapeRules.CheckConvDim("Conv1d", "L", 6, 3, 1, 0, 0, 4));
        ContainsAll(m, "along L", "4·(3−1)+1 = 9", "= −2");
    }

    [Theory]
    [InlineData(0, 1, 1, "kernel size 0")]
    [InlineData(3, 0, 1, "stride 0")]
    [InlineData(3, -2, 1, "stride -2")]
    [InlineData(3, 1, 0, "dilation 0")]
    public void Non_positive_kernel_stride_or_dilation_is_rejected(int k, int s, int d, string quoted)
    {
        var m = Fails(() => ShapeRules.CheckConvDim("Conv2d 'c'", "W", 10, k, s, 0, 0, d));
        ContainsAll(m, "Conv2d 'c'", quoted, "along W", "≥ 1");
    }

    [Fact]
    public void Negative_padding_is_rejected_on_either_side()
    {
        ContainsAll(Fails(() => ShapeRules.CheckConvDim("Conv2d", "H", 10, 3, 1, -1, 0, 1)), "padding -1", "along H", "≥ 0");
        ContainsAll(Fails(() => ShapeRules.CheckConvDim("Conv2d", "H", 10, 3, 1, 0, -2, 1)), "padding -2", "≥ 0");
    }

    [Fact]
    public void Channels_not_divisible_by_groups_quote_the_remainder()
    {
        var m = Fails(() => ShapeRules.CheckChannels("Conv2d 'dw'", 10, 12, 4));
        ContainsAll(m, "Conv2d 'dw'", "10 input channels", "groups 4", "10 mod 4 = 2");
        m = Fails(() => ShapeRules.CheckChannels("Conv2d 'dw'", 12, 10, 4));
        ContainsAll(m, "10 output channels", "groups 4", "10 mod 4 = 2");
    }

    [Theory]
    [InlineData(3, 6, 0, "groups 0")]
    [InlineData(0, 6, 1, "0 input channels")]
    [InlineData(3, 0, 1, "0 output channels")]
    public void Degenerate_channel_settings_are_rejected(int cin, int cout, int groups, string quoted) =>
        Assert.Contains(quoted, Fails(() => ShapeRules.CheckChannels("Conv2d", cin, cout, groups)));

    [Fact]
    public void Pool_padding_above_half_the_kernel_follows_PyTorch_rule()
    {
        var m = Fails(() => ShapeRules.CheckPoolDim("MaxPool2d 'p'", "H", 5, 3, 1, 2, 1, false));
        ContainsAll(m, "MaxPool2d 'p'", "padding 2", "along H", "kernel 3", "⌊3/2⌋ = 1");
        ShapeRules.CheckPoolDim("MaxPool2d", "H", 5, 2, 2, 1, 1, false);   // 1 ≤ ⌊2/2⌋ is allowed
    }

    [Fact]
    public void Pool_window_larger_than_the_input_quotes_the_formula()
    {
        var m = Fails(() => ShapeRules.CheckPoolDim("MaxPool2d", "W", 2, 3, 2, 0, 1, false));
        ContainsAll(m, "along W", "input 2", "dilated kernel 3", "o = ⌊(2+2·0−1·(3−1)−1)/2⌋+1 = 0");
        ContainsAll(Fails(() => ShapeRules.CheckPoolDim("AvgPool1d", "L", 3, 2, 0, 0, 1, false)), "stride 0", "along L");
    }

    [Fact]
    public void Output_padding_must_stay_below_max_of_stride_and_dilation()
    {
        var m = Fails(() => ShapeRules.CheckTransposedDim("ConvTranspose2d 'up'", "H", 5, 3, 2, 1, 1, 2));
        ContainsAll(m, "ConvTranspose2d 'up'", "output padding 2", "along H", "max(stride, dilation) = max(2, 1) = 2");
        ShapeRules.CheckTransposedDim("ConvTranspose2d", "H", 5, 3, 1, 0, 2, 1);   // allowed through dilation 2
        ContainsAll(Fails(() => ShapeRules.CheckTransposedDim("ConvTranspose1d", "L", 5, 3, 2, 0, 1, -1)), "output padding -1", "≥ 0");
    }

    [Fact]
    public void Transposed_padding_that_crops_everything_quotes_the_formula()
    {
        var m = Fails(() => ShapeRules.CheckTransposedDim("ConvTranspose1d", "L", 1, 1, 1, 1, 1, 0));
        ContainsAll(m, "padding 1", "along L", "o = (1−1)·1 − 2·1 + 1·(1−1) + 0 + 1 = −1");
    }

    [Fact]
    public void Transposed_checks_validate_the_window_too()
    {
        ContainsAll(Fails(() => ShapeRules.CheckTransposedDim("ConvTranspose2d", "W", 5, 3, 0, 0, 1, 0)), "stride 0", "along W");
        ContainsAll(Fails(() => ShapeRules.CheckTransposedDim("ConvTranspose2d", "W", 5, 3, 1, -1, 1, 0)), "padding -1");
    }
}
