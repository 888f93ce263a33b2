using Xunit;

namespace Functional.Tests;

public class ReceptiveFieldTests
{
    [Fact]
    public void Three_stacked_3x3_convs_see_7_pixels_like_one_7x7()
    {
        var f = ReceptiveField.Input.Then(3, padBefore: 1).Then(3, padBefore: 1).Then(3, padBefore: 1);
        Assert.Equal(new ReceptiveField(7, 1, 0.0), f);
    }

    [Fact]
    public void AlexNet_features_grow_to_195_pixels_with_jump_32()
    {
        var f = ReceptiveField.Through([(11, 4, 1, 0), (3, 2, 1, 0), (5, 1, 1, 2), (3, 2, 1, 0), (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1), (3, 2, 1, 0)]);
        Assert.Equal(195, f.Size);
        Assert.Equal(32, f.Jump);
        Assert.Equal(33.0, f.Start);
    }

    [Fact]
    public void Dilation_widens_the_field_without_changing_the_jump()
    {
        var f = ReceptiveField.Input.Then(3, dilation: 2).Then(3, dilation: 4);
        Assert.Equal(new ReceptiveField(1 + 4 + 8, 1, 6.0), f);
    }

    [Fact]
    public void Even_kernels_and_padding_put_the_start_between_pixels_or_in_the_padding()
    {
        Assert.Equal(0.5, ReceptiveField.Input.Then(2, 2).Start);
        Assert.Equal(-2.0, ReceptiveField.Input.Then(3, padBefore: 3).Start);
        Assert.Equal("size 2, jump 2, start 0.5", ReceptiveField.Input.Then(2, 2).ToString());
    }

    [Fact]
    public void Invalid_layers_are_rejected()
    {
        var e = Assert.Throws<ShapeException>(() => ReceptiveField.Input.Then(3, stride: 0));
        Assert.Contains("stride 0", e.Message);
        Assert.Throws<ShapeException>(() => ReceptiveField.Input.Then(3, padBefore: -1));
    }
}
