using Functional.Backends;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// Shape arithmetic near int.MaxValue: every size is computed in 64 bits, so an impossible layer fails with a
/// <see cref="ShapeException"/> that quotes the true numbers, never a wrapped size, a wrong shape or a crash.
/// </summary>
public class ShapeOverflowTests
{
    [Fact]
    public void A_huge_dilation_is_rejected_before_the_cpu_kernels_run()
    {
        // Wrapped, d(k−1) = 2147483647·2 was −2 and the layer planned a 2×10×10 output; SmallConvRows then read
        // 4 GiB past the input and the process died with an AccessViolationException.
        var e = Assert.Throws<ShapeException>(() =>
            Conv(2, 3, dilation: int.MaxValue).Init(Shape.Image(1, 8, 8), seed: 1, ExecutionContext.Cpu(1))
                .Predict(Tensor.Zeros(Shape.Images(1, 1, 8, 8))));
        Assert.Contains("dilated kernel 2147483647·(3−1)+1 = 4294967295", e.Message);
    }

    [Fact]
    public void Padding_of_two_to_the_thirty_quotes_the_true_padded_size()
    {
        var e = Assert.Throws<ShapeException>(() => Conv(8, 3, padding: 1 << 30).OutputShape(Shape.Image(1, 8, 8)));
        Assert.Contains("o = ⌊(8+2·1073741824−1·(3−1)−1)/1⌋+1 = 2147483654", e.Message);
        Assert.DoesNotContain("−2147483", e.Message);
    }

    [Theory]
    [InlineData(28, 2147483647, 2147483647, 0, 1, false)]
    [InlineData(28, 2147483647, 1, 0, 1, true)]
    [InlineData(2147483647, 2, 2147483647, 1, 1, true)]
    public void Pool_output_sizes_agree_with_exact_arithmetic(int input, int kernel, int stride, int padding, int dilation, bool ceil)
    {
        var span = input + 2L * padding - (long)dilation * (kernel - 1) - 1;
        var expected = (long)(ceil ? Math.Ceiling(span / (double)stride) : Math.Floor(span / (double)stride)) + 1;
        if (ceil && (expected - 1) * stride >= (long)input + padding) expected--;
        Assert.Equal(expected, ShapeRules.PoolOutputSize(input, kernel, stride, padding, dilation, ceil));
    }

    [Fact]
    public void Floor_and_ceil_division_are_exact_at_the_ends_of_int()
    {
        Assert.Equal(-1, ShapeRules.FloorDiv(-2147483619, int.MaxValue));
        Assert.Equal(int.MinValue, ShapeRules.FloorDiv(int.MinValue, 1));
        Assert.Equal(int.MinValue, ShapeRules.CeilDiv(int.MinValue, 1));
        Assert.Equal(2, ShapeRules.CeilDiv(int.MaxValue, int.MaxValue - 1));
    }

    [Fact]
    public void A_transposed_output_beyond_int_quotes_the_true_size()
    {
        var e = Assert.Throws<ShapeException>(() => ShapeRules.TransposedOutputSize(2_000_000_000, 3, 2_000_000_000, 0, 1, 0));
        Assert.Contains("= 3999999998000000003 does not fit in 32 bits", e.Message);
    }

    [Fact]
    public void Same_padding_with_a_huge_dilated_kernel_names_the_layer_and_the_amount()
    {
        var e = Assert.Throws<ShapeException>(() =>
            new ConvSpec(1, 1, [int.MaxValue], dilation: [int.MaxValue], padding: Padding.Same).Plan(Shape.Of(1, 1, 8)));
        Assert.StartsWith("Conv1d: Same padding along L would be", e.Message);
    }

    [Fact]
    public void Replicate_padding_whose_padded_extent_overflows_is_rejected()
    {
        // The output (1) fits, but the explicitly padded plane of 8 + 2·(2^31 − 1) elements does not.
        var spec = new ConvSpec(1, 1, [3], stride: [int.MaxValue], padding: Padding.Of(int.MaxValue), paddingMode: PaddingMode.Replicate);
        var e = Assert.Throws<ShapeException>(() => spec.Plan(Shape.Of(1, 1, 8)));
        Assert.Contains("4294967302", e.Message);
    }

    [Fact]
    public void Geometry_lengths_never_wrap()
    {
        var g = new ConvGeometry(2, 65536, 65536, 1, 1, new Dims3(1, 1, 1), new Dims3(1, 1, 1), Dims3.All(1), Dims3.All(1), Dims3.All(0), new Dims3(1, 1, 1));
        Assert.Contains("= 4294967296 elements", Assert.Throws<ShapeException>(() => g.InputLength).Message);
        Assert.Contains("4294967296", Assert.Throws<ShapeException>(() => new Dims3(65536, 65536, 1).Product).Message);
        Assert.Contains("4294967296", Assert.Throws<ShapeException>(() => new AxisGeometry(65536, 65536, 1).Length).Message);
    }

    [Fact]
    public void A_locally_connected_kernel_of_two_to_the_thirty_two_taps_is_rejected()
    {
        // 65536·65536 wrapped to 0 taps, and the layer planned a 1×1×2×2 output with no weights to read.
        var spec = Functional.Ops.LocallyConnectedSpec.Square(1, 65536, padding: 32768);
        var e = Assert.Throws<ShapeException>(() => Functional.Ops.LocallyConnected2d.OutputShape(spec, Shape.Images(1, 1, 1, 1)));
        Assert.Contains("kernel taps kH·kW = 65536·65536 = 4294967296 elements", e.Message);
    }

    [Fact]
    public void Parameter_counts_beyond_long_throw_instead_of_wrapping()
    {
        var e = Assert.Throws<ShapeException>(() =>
            ShapeRules.ConvParameterCount(int.MaxValue, int.MaxValue, 1, [int.MaxValue, int.MaxValue, int.MaxValue], bias: true));
        Assert.StartsWith("Parameter count", e.Message);
    }
}
