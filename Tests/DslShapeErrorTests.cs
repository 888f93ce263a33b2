using Functional.Network;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

/// <summary>Wrong compositions are caught from shapes alone, and the message says where, what came in and which rule broke.</summary>
public class DslShapeErrorTests
{
    private static string Error(Layer net, Shape input)
    {
        var fromShape = Assert.Throws<ShapeException>(() => net.OutputShape(input));
        var fromInit = Assert.Throws<ShapeException>(() => net.Init(input, seed: 1));
        Assert.Equal(fromShape.Message, fromInit.Message);
        return fromShape.Message;
    }

    [Fact]
    public void Dense_after_a_conv_without_Flatten_says_to_flatten()
    {
        var m = Error(Conv(6, 5).Then(ReLU).Then(Dense(10)), Shape.Image(1, 28, 28));
        Assert.Equal("layer 2 (Dense(10)): input 1×6×24×24 has rank 4; Dense takes N×features (rank 2): put Flatten before it to get N×3456.", m);
    }

    [Fact]
    public void A_conv_after_Flatten_has_no_spatial_dims()
    {
        var m = Error(Flatten.Then(Conv(3, 3)), Shape.Image(1, 8, 8));
        Assert.Equal("layer 1 (Conv(3, 3)): input 1×64 has 0 spatial dims; a conv takes N×C×L, N×C×H×W or N×C×D×H×W (a conv cannot follow Flatten or Dense).", m);
    }

    [Fact]
    public void A_kernel_larger_than_its_input_quotes_the_formula()
    {
        var lenet = Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2)).Then(Conv(16, 5)).Then(ReLU).Then(MaxPool(2)).Then(Flatten).Then(Dense(10));
        var m = Error(lenet, Shape.Image(1, 8, 8));
        Assert.Equal("layer 3 (Conv(16, 5)): Conv2d: input 4 along H (padded: 4+2·0 = 4) is smaller than the dilated kernel 5 (o = ⌊(4+2·0−1·(5−1)−1)/1⌋+1 = 0).", m);
    }

    [Fact]
    public void A_pooling_window_larger_than_its_input_quotes_the_formula()
    {
        var m = Error(Conv(16, 3).Then(ReLU).Then(MaxPool(2)), Shape.Image(1, 3, 3));
        Assert.StartsWith("layer 2 (MaxPool(2)): MaxPool2d: input 1 along H", m);
        Assert.Contains("o = ⌊(1+2·0−1·(2−1)−1)/2⌋+1 = 0", m);
    }

    [Fact]
    public void Groups_that_do_not_divide_the_channels_quote_the_remainder()
    {
        var m = Error(Conv(8, 3, groups: 4), Shape.Image(3, 8, 8));
        Assert.Equal("Conv(8, 3, groups 4): Conv2d: 3 input channels are not divisible by groups 4 (3 mod 4 = 3); every group must see the same number of input channels.", m);
    }

    [Fact]
    public void A_named_layer_is_quoted_by_position_and_name()
    {
        var deep = Named("features", Sequential(Conv(4, 3), ReLU, Conv(4, 9))).Then(Flatten);
        var d = Error(deep.Then(Dense(2)), Shape.Image(1, 8, 8));
        Assert.StartsWith("layer 0.2 'features.2' (Conv(4, 9)): Conv2d: input 6 along H", d);
        var fc = Error(Sequential(Conv(6, 5), ReLU, Named("fc1", Dense(120))), Shape.Image(1, 28, 28));
        Assert.StartsWith("layer 2 'fc1' (Dense(120)): input 1×6×24×24 has rank 4", fc);
    }

    [Fact]
    public void A_residual_whose_shortcut_does_not_match_its_block_names_both_shapes()
    {
        var m = Error(Residual(Conv(8, 3, padding: 1), shortcut: Identity), Shape.Image(3, 8, 8));
        Assert.Equal("Residual(shortcut Identity): the block gives 8×8×8 but the shortcut gives 3×8×8; the sum needs equal shapes.", m);
    }

    [Fact]
    public void A_residual_block_no_strided_projection_can_match_says_so()
    {
        var m = Error(Conv(3, 1).Then(Residual(Conv(8, 7))), Shape.Image(3, 16, 16));
        Assert.Equal("layer 1 (Residual): the block maps 3×16×16 to 8×10×10; no stride s gives a 1×1 projection 16 → 10 along spatial dim 0 (⌈16/s⌉ must be 10).", m);
    }

    [Fact]
    public void Concat_branches_of_different_sizes_are_listed()
    {
        var m = Error(Concat(Conv(4, 3), Conv(4, 5)), Shape.Image(3, 8, 8));
        Assert.Equal("Concat(2 branches): Concat: inputs 1×4×6×6, 1×4×4×4 differ outside dim 1; concatenation needs every other dim equal.", m);
    }

    [Fact]
    public void Pool_padding_over_half_the_kernel_is_rejected()
    {
        var m = Error(MaxPool(2, padding: 2), Shape.Image(1, 8, 8));
        Assert.StartsWith("MaxPool(2, padding 2): MaxPool2d: padding 2 along H", m);
    }

    [Fact]
    public void Reflect_padding_must_stay_inside_the_input()
    {
        var m = Error(Conv(4, 3, padding: 8, paddingMode: PaddingMode.Reflect), Shape.Image(3, 8, 8));
        Assert.Equal("Conv(4, 3, padding 8, reflect): Conv2d: reflect padding 8 along H must be smaller than the input 8 (it mirrors inside the input, without repeating the edge).", m);
    }

    [Fact]
    public void A_3d_conv_on_an_image_names_the_ranks()
    {
        var m = Error(Conv3d(4, 3), Shape.Image(3, 8, 8));
        Assert.Equal("Conv3d(4, 3): Conv3d: input 1×3×8×8 has rank 4; a 3-d conv takes N×C×D×H×W (rank 5).", m);
    }

    [Fact]
    public void Selecting_a_missing_channel_names_the_range()
    {
        var m = Error(Conv(3, 1).Then(Channels(0, 7)), Shape.Image(1, 4, 4));
        Assert.Equal("layer 1 (Channels(0,7)): channel 7 does not exist: input 1×3×4×4 has channels 0 to 2.", m);
    }

    [Fact]
    public void A_zero_stride_is_rejected_with_the_layer()
    {
        var m = Error(Conv(4, 3).Then(Conv(4, 3, stride: 0)), Shape.Image(3, 8, 8));
        Assert.StartsWith("layer 1 (Conv(4, 3, stride 0)): Conv2d:", m);
        Assert.Contains("stride 0", m);
    }

    [Fact]
    public void A_drop_probability_outside_0_1_is_rejected()
    {
        var m = Error(Flatten.Then(Dropout(1.5f)), Shape.Image(1, 2, 2));
        Assert.Equal("layer 1 (Dropout(1.5)): Dropout: the drop probability 1.5 must be in [0, 1].", m);
    }
}
