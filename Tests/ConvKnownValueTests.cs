using Functional.Ops;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>The worked examples of the course notes, as exact values.</summary>
public class ConvKnownValueTests
{
    private static readonly ExecutionContext Ctx = ExecutionContext.Reference;

    private static Tensor Image(int h, int w, float start = 0) => Tensor.Arange(Shape.Images(1, 1, h, w), start);

    private static float[,] Plane(Tensor y, int channel = 0)
    {
        var (h, w) = (y.Shape[2], y.Shape[3]);
        var p = new float[h, w];
        for (var i = 0; i < h; i++)
            for (var j = 0; j < w; j++) p[i, j] = y[0, channel, i, j];
        return p;
    }

    private static Tensor Conv2d(Tensor x, Tensor w, Padding? padding = null, int[]? stride = null) =>
        Conv.Forward(Ctx, new ConvSpec(2, w.Shape[0], w.Shape.Dims[2..], stride, padding, bias: false), x, w);

    [Fact]
    public void Three_by_three_input_with_a_two_by_two_kernel_gives_19_25_37_43()
    {
        var y = Conv2d(Image(3, 3), Tensor.Arange(Shape.Images(1, 1, 2, 2)));
        Assert.Equal(new float[,] { { 19, 25 }, { 37, 43 } }, Plane(y));
    }

    [Fact]
    public void Padding_one_gives_the_four_by_four_result()
    {
        var y = Conv2d(Image(3, 3), Tensor.Arange(Shape.Images(1, 1, 2, 2)), padding: 1);
        Assert.Equal(new float[,] { { 0, 3, 8, 4 }, { 9, 19, 25, 10 }, { 21, 37, 43, 16 }, { 6, 7, 8, 0 } }, Plane(y));
    }

    [Fact]
    public void Padding_one_and_stride_two_keeps_every_other_output()
    {
        var y = Conv2d(Image(3, 3), Tensor.Arange(Shape.Images(1, 1, 2, 2)), padding: 1, stride: [2]);
        Assert.Equal(new float[,] { { 0, 8 }, { 21, 43 } }, Plane(y));
    }

    [Fact]
    public void Stride_three_along_rows_and_two_along_columns_gives_the_notes_0_8_6_8()
    {
        var y = Conv2d(Image(3, 3), Tensor.Arange(Shape.Images(1, 1, 2, 2)), padding: 1, stride: [3, 2]);
        Assert.Equal(new float[,] { { 0, 8 }, { 6, 8 } }, Plane(y));
    }

    [Fact]
    public void Two_input_channels_sum_their_correlations_to_56_72_104_120()
    {
        var x = Tensor.FromArray(Shape.Images(1, 2, 3, 3), [0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        var w = Tensor.FromArray(Shape.Of(1, 2, 2, 2), [0, 1, 2, 3, 1, 2, 3, 4]);
        Assert.Equal(new float[,] { { 56, 72 }, { 104, 120 } }, Plane(Conv2d(x, w)));
    }

    [Fact]
    public void Vertical_edge_detector_finds_the_edge_in_the_middle_columns()
    {
        var pixels = new float[36];
        for (var i = 0; i < 6; i++)
            for (var j = 0; j < 3; j++) pixels[i * 6 + j] = 10;
        var x = Tensor.FromArray(Shape.Images(1, 1, 6, 6), pixels);
        var w = Tensor.FromArray(Shape.Of(1, 1, 3, 3), [1, 0, -1, 1, 0, -1, 1, 0, -1]);
        var y = Conv2d(x, w);
        Assert.Equal(Shape.Images(1, 1, 4, 4), y.Shape);
        for (var i = 0; i < 4; i++)
            Assert.Equal(new float[] { 0, 30, 30, 0 }, Enumerable.Range(0, 4).Select(j => y[0, 0, i, j]));
    }

    [Fact]
    public void A_pointwise_conv_from_128_to_192_channels_keeps_26_by_26()
    {
        var spec = new ConvSpec(2, 192, [1]);
        Assert.Equal(Shape.Image(192, 26, 26), spec.OutputShape(Shape.Image(128, 26, 26)));
        Assert.Equal(Shape.Of(192, 128, 1, 1), spec.Plan(Shape.Images(1, 128, 26, 26)).WeightShape);
    }

    [Fact]
    public void True_convolution_flips_the_kernel()
    {
        // With the flipped kernel 3,2,1,0 the correlation of 0..8 becomes 0·3+1·2+3·1+4·0 = 5, …
        var y = TrueConvolution.Forward(Ctx, new ConvSpec(2, 1, [2], bias: false), Image(3, 3), Tensor.Arange(Shape.Images(1, 1, 2, 2)));
        Assert.Equal(new float[,] { { 5, 11 }, { 23, 29 } }, Plane(y));
    }

    [Fact]
    public void Transposed_conv_scatters_each_input_through_the_kernel()
    {
        // Stride 2, kernel 2: every input element paints its own 2×2 block of x·w.
        var x = Tensor.FromArray(Shape.Images(1, 1, 2, 2), [1, 2, 3, 4]);
        var w = Tensor.FromArray(Shape.Of(1, 1, 2, 2), [1, 10, 100, 1000]);
        var y = ConvTranspose.Forward(Ctx, new ConvTransposeSpec(2, 1, [2], stride: [2], bias: false), x, w);
        Assert.Equal(new float[,] { { 1, 10, 2, 20 }, { 100, 1000, 200, 2000 }, { 3, 30, 4, 40 }, { 300, 3000, 400, 4000 } }, Plane(y));
    }

    [Theory]
    [InlineData(PaddingMode.Zeros, new float[] { 0, 0, 1, 2, 3, 0, 0 })]
    [InlineData(PaddingMode.Reflect, new float[] { 3, 2, 1, 2, 3, 2, 1 })]
    [InlineData(PaddingMode.Replicate, new float[] { 1, 1, 1, 2, 3, 3, 3 })]
    [InlineData(PaddingMode.Circular, new float[] { 2, 3, 1, 2, 3, 1, 2 })]
    public void Padding_modes_fill_the_border_like_pytorch(PaddingMode mode, float[] expected)
    {
        var y = Pad.Forward(Ctx, Tensor.FromArray(Shape.Of(1, 3), [1, 2, 3]), [2], [2], mode);
        Assert.Equal(expected, y.ToArray());
    }

    [Fact]
    public void Same_padding_keeps_the_size_over_stride_for_any_stride()
    {
        Assert.Equal(Shape.Image(4, 28, 28), new ConvSpec(2, 4, [5], padding: Padding.Same).OutputShape(Shape.Image(1, 28, 28)));
        Assert.Equal(Shape.Image(4, 14, 10), new ConvSpec(2, 4, [4], stride: [2, 3], padding: Padding.Same).OutputShape(Shape.Image(1, 28, 28)));
        Assert.Equal(Shape.Image(4, 32, 32), new ConvSpec(2, 4, [5], padding: Padding.Full).OutputShape(Shape.Image(1, 28, 28)));
    }
}
