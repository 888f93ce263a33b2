using Functional.Ops;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>Invalid use fails early with a typed exception whose message names the layer, the shapes and the rule.</summary>
public class ConvErrorTests
{
    private static readonly ExecutionContext Ctx = ExecutionContext.Reference;

    private static Tensor Zeros(params int[] dims) => Tensor.Zeros(Shape.Of(dims));

    [Fact]
    public void Weight_in_channels_must_match_the_input_per_group()
    {
        var spec = new ConvSpec(2, 16, [5], bias: false);
        var e = Assert.Throws<ShapeException>(() => Conv.Forward(Ctx, spec, Zeros(2, 6, 14, 14), Zeros(16, 3, 5, 5), layer: "c3"));
        Assert.Equal("Conv2d 'c3': weight 16×3×5×5 does not fit: it takes 3 input channels per group along dim 1, but input 2×6×14×14 has 6 channels; " +
                     "expected 16×6×5×5 (C_out × C_in/groups × kernel).", e.Message);
    }

    [Fact]
    public void Weight_kernel_and_rank_must_match_the_spec()
    {
        var spec = new ConvSpec(2, 4, [3], bias: false);
        Assert.Contains("its kernel is 5×5, not 3×3", Assert.Throws<ShapeException>(() => Conv.Forward(Ctx, spec, Zeros(1, 2, 8, 8), Zeros(4, 2, 5, 5))).Message);
        Assert.Contains("it has rank 3, not 4", Assert.Throws<ShapeException>(() => Conv.Forward(Ctx, spec, Zeros(1, 2, 8, 8), Zeros(4, 2, 3))).Message);
    }

    [Fact]
    public void Input_rank_must_be_batch_channels_and_the_spatial_dims()
    {
        var e = Assert.Throws<ShapeException>(() => new ConvSpec(2, 4, [3]).Plan(Shape.Of(3, 8, 8)));
        Assert.Equal("Conv2d: input 3×8×8 has rank 3; a 2-d conv takes N×C×H×W (rank 4).", e.Message);
    }

    [Fact]
    public void Groups_must_divide_the_channels()
    {
        var e = Assert.Throws<ShapeException>(() => new ConvSpec(2, 6, [3], groups: 4).Plan(Shape.Of(1, 6, 8, 8), "dw"));
        Assert.StartsWith("Conv2d 'dw': 6 input channels are not divisible by groups 4", e.Message);
    }

    [Fact]
    public void An_unknown_padding_mode_is_rejected_by_name_and_by_value()
    {
        var e = Assert.Throws<ArgumentException>(() => ConvSpec.ParsePaddingMode("mirror", "Conv2d"));
        Assert.StartsWith("Conv2d: unknown padding mode 'mirror'; use zeros, reflect, replicate or circular.", e.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => new ConvSpec(2, 4, [3], paddingMode: (PaddingMode)7));
        Assert.StartsWith("Conv2d: unknown padding mode 7", e2.Message);
    }

    [Theory]
    [InlineData(PaddingMode.Reflect)]
    [InlineData(PaddingMode.Replicate)]
    [InlineData(PaddingMode.Circular)]
    public void A_transposed_conv_pads_with_zeros_only(PaddingMode mode)
    {
        var e = Assert.Throws<ShapeException>(() => new ConvTransposeSpec(2, 4, [3], paddingMode: mode));
        Assert.Equal($"ConvTranspose2d: padding mode {mode.ToString().ToLowerInvariant()} is not supported; a transposed convolution pads with zeros only (as in PyTorch).", e.Message);
    }

    [Fact]
    public void Transposed_weights_use_the_in_by_out_layout()
    {
        var spec = new ConvTransposeSpec(2, 4, [3], bias: false);
        var e = Assert.Throws<ShapeException>(() => ConvTranspose.Forward(Ctx, spec, Zeros(1, 2, 5, 5), Zeros(4, 2, 3, 3)));
        Assert.Equal("ConvTranspose2d: weight 4×2×3×3 does not fit: it takes 4 input channels along dim 0, but input 1×2×5×5 has 2 channels; " +
                     "expected 2×4×3×3 (C_in × C_out/groups × kernel, the transposed layout).", e.Message);
    }

    [Fact]
    public void Output_padding_must_be_below_stride_or_dilation()
    {
        var e = Assert.Throws<ShapeException>(() => new ConvTransposeSpec(2, 4, [3], stride: [2], outputPadding: [2]).Plan(Shape.Of(1, 2, 5, 5)));
        Assert.Equal("ConvTranspose2d: output padding 2 along H must be smaller than max(stride, dilation) = max(2, 1) = 2.", e.Message);
    }

    [Fact]
    public void Same_padding_is_not_defined_for_a_transposed_conv()
    {
        var e = Assert.Throws<ShapeException>(() => new ConvTransposeSpec(2, 4, [3], padding: Padding.Same));
        Assert.StartsWith("ConvTranspose2d: padding 'same' is not defined", e.Message);
    }

    [Fact]
    public void An_input_smaller_than_the_dilated_kernel_quotes_the_formula()
    {
        var e = Assert.Throws<ShapeException>(() => new ConvSpec(2, 16, [5]).Plan(Shape.Of(1, 16, 3, 3), "conv2"));
        Assert.Equal("Conv2d 'conv2': input 3 along H (padded: 3+2·0 = 3) is smaller than the dilated kernel 5 (o = ⌊(3+2·0−1·(5−1)−1)/1⌋+1 = −1).", e.Message);
    }

    [Fact]
    public void Reflect_padding_must_stay_inside_the_input()
    {
        var e = Assert.Throws<ShapeException>(() => new ConvSpec(1, 2, [3], padding: 4, paddingMode: PaddingMode.Reflect).Plan(Shape.Of(1, 1, 4)));
        Assert.Equal("Conv1d: reflect padding 4 along L must be smaller than the input 4 (it mirrors inside the input, without repeating the edge).", e.Message);
        Assert.Contains("circular padding 5 along L must be at most the input 4",
            Assert.Throws<ShapeException>(() => new ConvSpec(1, 2, [3], padding: 5, paddingMode: PaddingMode.Circular).Plan(Shape.Of(1, 1, 4))).Message);
    }

    [Fact]
    public void Per_dim_lists_must_match_the_rank()
    {
        Assert.Equal("Conv2d: stride has 3 values (1, 2, 1) but the operation has 2 spatial dimensions.",
            Assert.Throws<ShapeException>(() => new ConvSpec(2, 4, [3], stride: [1, 2, 1])).Message);
        Assert.Equal("Conv3d: padding has 2 values (1, 2) but the operation has 3 spatial dimensions.",
            Assert.Throws<ShapeException>(() => new ConvSpec(3, 4, [3], padding: Padding.Of(1, 2))).Message);
        Assert.StartsWith("Conv: spatial rank 4 is not supported", Assert.Throws<ShapeException>(() => new ConvSpec(4, 4, [3])).Message);
    }

    [Fact]
    public void Bias_presence_and_shape_must_match_the_spec()
    {
        var x = Zeros(1, 2, 5, 5);
        var w = Zeros(4, 2, 3, 3);
        Assert.Equal("Conv2d: the layer is configured with a bias of shape 4 but none was given.",
            Assert.Throws<ShapeException>(() => Conv.Forward(Ctx, new ConvSpec(2, 4, [3]), x, w)).Message);
        Assert.Equal("Conv2d: a bias 4 was given but the layer is configured without bias.",
            Assert.Throws<ShapeException>(() => Conv.Forward(Ctx, new ConvSpec(2, 4, [3], bias: false), x, w, Zeros(4))).Message);
        Assert.Equal("Conv2d: bias 3 should have shape 4 (one value per output channel).",
            Assert.Throws<ShapeException>(() => Conv.Forward(Ctx, new ConvSpec(2, 4, [3]), x, w, Zeros(3))).Message);
    }

    [Fact]
    public void The_upstream_gradient_must_have_the_output_shape()
    {
        var e = Assert.Throws<ShapeException>(() => Conv.Backward(Ctx, new ConvSpec(2, 4, [3], bias: false), Zeros(1, 2, 5, 5), Zeros(4, 2, 3, 3), null, Zeros(1, 4, 5, 5)));
        Assert.Equal("Conv2d: upstream gradient 1×4×5×5 should have the output shape 1×4×3×3.", e.Message);
    }

    [Fact]
    public void Specs_print_their_hyper_parameters()
    {
        Assert.Equal("Conv2d(16, kernel 5×5, stride 1×1, padding same, dilation 1×1, groups 1, bias, zeros)",
            new ConvSpec(2, 16, [5], padding: Padding.Same).ToString());
        Assert.Equal(new ConvSpec(2, 16, [5, 5]), new ConvSpec(2, 16, [5]));
    }

    [Fact]
    public void A_spec_derived_with_with_is_validated_when_planned()
    {
        var spec = new ConvSpec(2, 4, [3]) with { Stride = [1, 1, 1] };
        Assert.Equal("Conv2d: stride has 3 values (1, 1, 1) but the operation has 2 spatial dimensions.",
            Assert.Throws<ShapeException>(() => spec.Plan(Shape.Of(1, 2, 5, 5))).Message);
        var t = new ConvTransposeSpec(2, 4, [3]) with { OutputPadding = [0, 0, 0] };
        Assert.StartsWith("ConvTranspose2d: output padding has 3 values", Assert.Throws<ShapeException>(() => t.Plan(Shape.Of(1, 2, 5, 5))).Message);
        var broadcast = new ConvTransposeSpec(2, 4, [3], stride: [2]) with { OutputPadding = [1] };
        Assert.Equal(Shape.Of(1, 4, 12, 12), broadcast.Plan(Shape.Of(1, 2, 5, 5)).OutputShape);
    }
}
