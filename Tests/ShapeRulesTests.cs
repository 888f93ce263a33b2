using Xunit;

namespace Functional.Tests;

/// <summary>The seed material's worked shape examples, and PyTorch's output sizes for the rules it defines.</summary>
public class ShapeRulesTests
{
    [Theory]
    [InlineData(5, 3, 3)]
    [InlineData(32, 5, 28)]
    [InlineData(28, 28, 1)]
    [InlineData(7, 1, 7)]
    public void Valid_stride_one_gives_i_minus_k_plus_one(int i, int k, int expected) =>
        Assert.Equal(expected, ShapeRules.ConvOutputSize(i, k));

    [Theory]
    [InlineData(32, 5, 1, 32)]
    [InlineData(32, 4, 1, 32)]
    [InlineData(7, 3, 2, 4)]
    [InlineData(224, 7, 2, 112)]
    [InlineData(10, 1, 3, 4)]
    [InlineData(5, 5, 5, 1)]
    public void Same_padding_keeps_i_at_stride_one_and_gives_ceil_i_over_s_otherwise(int i, int k, int s, int expected)
    {
        var (before, after) = ShapeRules.SamePadding(i, k, s, 1);
        Assert.Equal(expected, ShapeRules.ConvOutputSize(i, k, s, before, after, 1));
        Assert.True(after - before is 0 or 1, $"the extra padding goes on the far side: ({before}, {after})");
    }

    [Fact]
    public void Same_padding_with_an_even_kernel_puts_the_extra_on_the_far_side() =>
        Assert.Equal((1, 2), ShapeRules.SamePadding(32, 4, 1, 1));

    [Theory]
    [InlineData(5, 3, 1, 7)]
    [InlineData(28, 5, 1, 32)]
    [InlineData(4, 3, 2, 8)]
    public void Full_padding_gives_i_plus_dilated_k_minus_one(int i, int k, int d, int expected)
    {
        var p = ShapeRules.FullPadding(k, d);
        Assert.Equal(expected, ShapeRules.ConvOutputSize(i, k, 1, p, d));
    }

    [Fact]
    public void Quiz_ten_5x5_filters_padding_2_on_3x32x32_give_10x32x32_and_760_parameters()
    {
        Assert.Equal(32, ShapeRules.ConvOutputSize(32, 5, 1, 2));
        Assert.Equal(760, ShapeRules.ConvParameterCount(10, 3, 1, [5, 5], bias: true));
        Assert.Equal(750, ShapeRules.ConvParameterCount(10, 3, 1, [5, 5], bias: false));
    }

    [Fact]
    public void AlexNet_spatial_sizes_follow_227_55_27_27_13_13_13_13_6()
    {
        int Conv(int i, int k, int s = 1, int p = 0) => ShapeRules.ConvOutputSize(i, k, s, p);
        int Pool(int i) => ShapeRules.PoolOutputSize(i, 3, 2, 0, 1, ceilMode: false);
        var c1 = Conv(227, 11, 4);
        var p2 = Pool(c1);
        var c3 = Conv(p2, 5, p: 2);
        var p4 = Pool(c3);
        var c5 = Conv(p4, 3, p: 1);
        var c6 = Conv(c5, 3, p: 1);
        var c7 = Conv(c6, 3, p: 1);
        var p8 = Pool(c7);
        Assert.Equal([55, 27, 27, 13, 13, 13, 13, 6], [c1, p2, c3, p4, c5, c6, c7, p8]);
    }

    [Fact]
    public void ResNet_stem_7x7_stride_2_padding_3_halves_224_to_112() =>
        Assert.Equal(112, ShapeRules.ConvOutputSize(224, 7, 2, 3));

    [Fact]
    public void Grouped_conv_counts_in_over_groups_weights_per_output_channel() =>
        Assert.Equal(32 * 1 * 9 + 32, ShapeRules.ConvParameterCount(32, 32, 32, [3, 3], bias: true));

    // Expected values from torch 1.13: F.max_pool1d(torch.zeros(1, 1, i), k, s, p, d, ceil_mode=…).shape[-1].
    [Theory]
    [InlineData(5, 2, 2, 0, 1, 2, 3)]
    [InlineData(6, 3, 2, 0, 1, 2, 3)]
    [InlineData(5, 3, 2, 1, 1, 3, 3)]
    [InlineData(5, 2, 3, 1, 1, 2, 2)]   // ceil would give 3, but that window would start in the right padding
    [InlineData(13, 3, 2, 0, 1, 6, 6)]
    [InlineData(7, 3, 2, 1, 2, 3, 3)]
    [InlineData(10, 4, 3, 2, 1, 4, 4)]
    [InlineData(112, 3, 2, 1, 1, 56, 57)]
    public void Pool_output_size_matches_PyTorch_in_floor_and_ceil_mode(int i, int k, int s, int p, int d, int floor, int ceil)
    {
        Assert.Equal(floor, ShapeRules.PoolOutputSize(i, k, s, p, d, ceilMode: false));
        Assert.Equal(ceil, ShapeRules.PoolOutputSize(i, k, s, p, d, ceilMode: true));
    }

    // Expected values from torch 1.13: F.conv_transpose1d(…, stride=s, padding=p, dilation=d, output_padding=op).
    [Theory]
    [InlineData(5, 3, 2, 1, 1, 1, 10)]
    [InlineData(7, 4, 2, 1, 1, 0, 14)]
    [InlineData(3, 3, 1, 0, 2, 1, 8)]
    [InlineData(4, 5, 3, 2, 1, 2, 12)]
    public void Transposed_output_size_matches_PyTorch(int i, int k, int s, int p, int d, int op, int expected) =>
        Assert.Equal(expected, ShapeRules.TransposedOutputSize(i, k, s, p, d, op));

    [Fact]
    public void Stride_3_over_5_wide_input_with_3_wide_kernel_never_reads_the_last_columns()
    {
        // One window, over columns 0–2; the floor in the formula silently drops columns 3 and 4.
        var o = ShapeRules.ConvOutputSize(5, 3, 3);
        Assert.Equal(1, o);
        Assert.Equal(2, ShapeRules.UnreadTrailing(5, 3, 3, 0, 1, o));
    }

    [Fact]
    public void Stride_3_over_7_wide_input_with_3_wide_kernel_leaves_exactly_the_last_column() =>
        Assert.Equal(1, ShapeRules.UnreadTrailing(7, 3, 3, 0, 1, ShapeRules.ConvOutputSize(7, 3, 3)));

    [Fact]
    public void Padding_can_make_a_stride_cover_the_input_again() =>
        Assert.Equal(0, ShapeRules.UnreadTrailing(5, 3, 3, 1, 1, ShapeRules.ConvOutputSize(5, 3, 3, 1)));

    [Theory]
    [InlineData(32, 5, 1, 2)]
    [InlineData(227, 11, 4, 0)]   // (227 − 11) / 4 = 54 exactly
    [InlineData(7, 3, 2, 0)]
    public void Configurations_that_cover_the_input_leave_nothing_unread(int i, int k, int s, int p)
    {
        var o = ShapeRules.ConvOutputSize(i, k, s, p);
        Assert.Equal(0, ShapeRules.UnreadTrailing(i, k, s, p, 1, o));
    }

    [Fact]
    public void Stride_2_over_even_input_with_kernel_1_skips_the_last_row() =>
        Assert.Equal(1, ShapeRules.UnreadTrailing(8, 1, 2, 0, 1, ShapeRules.ConvOutputSize(8, 1, 2)));

    [Fact]
    public void Formulas_fill_in_the_numbers()
    {
        Assert.Equal("o = ⌊(32+2·2−1·(5−1)−1)/1⌋+1 = 32", ShapeRules.ConvFormula(32, 5, 1, 2, 2, 1));
        Assert.Equal("o = ⌊(3+2·0−1·(5−1)−1)/1⌋+1 = −1", ShapeRules.ConvFormula(3, 5, 1, 0, 0, 1));
        Assert.Equal("o = ⌊(32+1+2−1·(4−1)−1)/1⌋+1 = 32", ShapeRules.ConvFormula(32, 4, 1, 1, 2, 1));
        Assert.Equal("o = (5−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 10", ShapeRules.TransposedFormula(5, 3, 2, 1, 1, 1));
        Assert.Equal("o = ⌈(5+2·0−1·(2−1)−1)/2⌉+1 = 3", ShapeRules.PoolFormula(5, 2, 2, 0, 1, ceilMode: true));
        Assert.Contains("so o = 2", ShapeRules.PoolFormula(5, 2, 3, 1, 1, ceilMode: true));
    }

    [Theory]
    [InlineData(7, 2, 3)]
    [InlineData(-7, 2, -4)]
    [InlineData(-1, 3, -1)]
    [InlineData(0, 5, 0)]
    public void FloorDiv_rounds_toward_minus_infinity(int a, int b, int expected) =>
        Assert.Equal(expected, ShapeRules.FloorDiv(a, b));

    [Fact]
    public void Explicit_padding_resolves_per_dim_and_rejects_mismatched_rank()
    {
        Assert.Equal((2, 2), ShapeRules.Resolve(Padding.Of(1, 2), 1, 2, 10, 3, 1, 1, "Conv2d"));
        var e = Assert.Throws<ShapeException>(() => ShapeRules.Resolve(Padding.Of(1, 2), 0, 3, 10, 3, 1, 1, "Conv3d 'c'"));
        Assert.Contains("2 values", e.Message);
        Assert.Contains("3 spatial dimensions", e.Message);
    }
}
