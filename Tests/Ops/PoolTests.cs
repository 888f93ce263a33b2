using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;
using Functional.Ops;
using Functional.Tests.Support;
using Xunit;
using static Functional.Tests.Support.GradCheck;

namespace Functional.Tests.Ops;

public class PoolTests
{
    private static readonly ExecutionContext Ctx = ExecutionContext.Reference;
    private static readonly ExecutionContext Dbl = DoubleBackend.Context;

    [Fact]
    public void Max_pool_2x2_stride_1_on_0_to_8_gives_4_5_7_8()
    {
        var y = MaxPool.Forward(Ctx, Tensor.Arange(Shape.Images(1, 1, 3, 3)), PoolSpec.Square(2, 2, stride: 1)).Output;
        Assert.Equal(Shape.Images(1, 1, 2, 2), y.Shape);
        Assert.Equal([4f, 5f, 7f, 8f], y.ToArray());
    }

    [Fact]
    public void Avg_pool_3_stride_2_pad_1_halves_a_26x26_map()
    {
        var spec = PoolSpec.Square(2, 3, stride: 2, padding: 1);
        Assert.Equal(Shape.Images(16, 192, 13, 13), AvgPool.OutputShape(Shape.Images(16, 192, 26, 26), spec));
    }

    [Fact]
    public void Global_average_reduces_each_channel_to_1x1()
    {
        var x = Tensor.Arange(Shape.Images(2, 3, 4, 5));
        var y = GlobalAvgPool.Forward(Ctx, x);
        Assert.Equal(Shape.Images(2, 3, 1, 1), y.Shape);
        for (var plane = 0; plane < 6; plane++) Assert.Equal(plane * 20 + 9.5f, y.ToArray()[plane], 4);
    }

    [Fact]
    public void Max_pool_ties_go_to_the_first_index_and_backward_routes_there()
    {
        // Every window is all zeros (as after a ReLU): the first element of each window takes the gradient.
        var x = Tensor.Zeros(Shape.Images(1, 1, 4, 4));
        var fwd = MaxPool.Forward(Ctx, x, PoolSpec.Square(2, 2));
        var dx = MaxPool.Backward(Ctx, fwd, Tensor.Full(fwd.Output.Shape, 1f)).ToArray();
        float[] expected = [1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0];
        Assert.Equal(expected, dx);
    }

    [Fact]
    public void Max_pool_padding_never_wins_over_negative_inputs()
    {
        var x = Tensor.Full(Shape.Images(1, 1, 2, 2), -3f);
        var y = MaxPool.Forward(Ctx, x, PoolSpec.Square(2, 2, stride: 1, padding: 1)).Output;
        Assert.All(y.ToArray(), v => Assert.Equal(-3f, v));
    }

    [Fact]
    public void Avg_pool_divisor_counts_padding_only_when_asked()
    {
        var x = Tensor.Ones(Shape.Images(1, 1, 3, 3));
        var include = AvgPool.Forward(Ctx, x, PoolSpec.Square(2, 2, stride: 2, padding: 1));
        var exclude = AvgPool.Forward(Ctx, x, PoolSpec.Square(2, 2, stride: 2, padding: 1, countIncludePad: false));
        Assert.Equal([0.25f, 0.5f, 0.5f, 1f], include.ToArray());
        Assert.Equal([1f, 1f, 1f, 1f], exclude.ToArray());
    }

    [Fact]
    public void Avg_pool_in_ceil_mode_divides_by_the_window_clipped_to_the_padded_input()
    {
        // L = 4, k = 3, s = 2, ceil mode: the second window is positions 2, 3 and (past the end) 4: divisor 2.
        var y = AvgPool.Forward(Ctx, Tensor.Arange(Shape.Sequences(1, 1, 4)), PoolSpec.Square(1, 3, stride: 2, ceilMode: true));
        Assert.Equal([1f, 2.5f], y.ToArray());
    }

    [Fact]
    public void Adaptive_average_uses_floor_start_and_ceil_end()
    {
        // L = 5 → 3: windows [0,2), [1,4), [3,5).
        var y = AdaptiveAvgPool.Forward(Ctx, Tensor.Arange(Shape.Sequences(1, 1, 5)), [3]);
        Assert.Equal([0.5f, 2f, 3.5f], y.ToArray());
    }

    [Theory]
    [InlineData(2, 2, 0, 1, false)]
    [InlineData(3, 2, 1, 1, true)]
    [InlineData(3, 1, 1, 2, false)]
    [InlineData(2, 3, 1, 2, true)]
    public void Max_pool_gradient_matches_central_differences(int k, int s, int p, int d, bool ceil)
    {
        var shape = Shape.Images(2, 2, 7, 6);
        var spec = new PoolSpec(2, [k], [s], [p], [d], ceil);
        var x = FiniteDifferences.Random(shape.Count, 11);
        Check("max pool dx", x,
            v => V(MaxPool.Forward(Dbl, T(shape, v), spec).Output),
            r =>
            {
                var fwd = MaxPool.Forward(Dbl, T(shape, x), spec);
                return V(MaxPool.Backward(Dbl, fwd, T(fwd.Output.Shape, r)));
            });
    }

    [Theory]
    [InlineData(2, 2, 0, false, true)]
    [InlineData(3, 2, 1, true, true)]
    [InlineData(3, 2, 1, true, false)]
    [InlineData(3, 1, 1, false, false)]
    public void Avg_pool_gradient_matches_central_differences(int k, int s, int p, bool ceil, bool includePad)
    {
        var shape = Shape.Images(2, 2, 6, 7);
        var spec = PoolSpec.Square(2, k, s, p, ceilMode: ceil, countIncludePad: includePad);
        Check("avg pool dx", FiniteDifferences.Random(shape.Count, 12),
            v => V(AvgPool.Forward(Dbl, T(shape, v), spec)),
            r => V(AvgPool.Backward(Dbl, shape, spec, T(AvgPool.OutputShape(shape, spec), r))));
    }

    [Fact]
    public void Adaptive_and_global_average_gradients_match_central_differences()
    {
        var shape = Shape.Images(2, 3, 7, 5);
        Check("adaptive avg dx", FiniteDifferences.Random(shape.Count, 13),
            v => V(AdaptiveAvgPool.Forward(Dbl, T(shape, v), [3, 4])),
            r => V(AdaptiveAvgPool.Backward(Dbl, shape, [3, 4], T(Shape.Images(2, 3, 3, 4), r))));
        Check("global avg dx", FiniteDifferences.Random(shape.Count, 14),
            v => V(GlobalAvgPool.Forward(Dbl, T(shape, v))),
            r => V(GlobalAvgPool.Backward(Dbl, shape, T(Shape.Images(2, 3, 1, 1), r))));
    }

    [Fact]
    public void Three_d_max_pool_gradient_matches_central_differences()
    {
        var shape = Shape.Volumes(1, 2, 4, 5, 4);
        var spec = new PoolSpec(3, [2, 3, 2], [2, 1, 2], [1, 1, 0], ceilMode: true);
        var x = FiniteDifferences.Random(shape.Count, 15);
        Check("3-d max pool dx", x,
            v => V(MaxPool.Forward(Dbl, T(shape, v), spec).Output),
            r => { var f = MaxPool.Forward(Dbl, T(shape, x), spec); return V(MaxPool.Backward(Dbl, f, T(f.Output.Shape, r))); });
    }

    [Fact]
    public void Bad_pooling_settings_raise_shape_errors_that_quote_the_numbers()
    {
        var x = Tensor.Zeros(Shape.Images(1, 1, 3, 3));
        var tooBig = Assert.Throws<ShapeException>(() => MaxPool.Forward(Ctx, x, PoolSpec.Square(2, 5), "pool1"));
        Assert.Contains("MaxPool2d 'pool1'", tooBig.Message);
        Assert.Contains("3", tooBig.Message);
        var pad = Assert.Throws<ShapeException>(() => AvgPool.Forward(Ctx, x, PoolSpec.Square(2, 2, padding: 2)));
        Assert.Contains("padding 2", pad.Message);
        var rank = Assert.Throws<ShapeException>(() => MaxPool.Forward(Ctx, Tensor.Zeros(Shape.Of(3, 3)), PoolSpec.Square(2, 2)));
        Assert.Contains("N×C×H×W", rank.Message);
        var adaptive = Assert.Throws<ShapeException>(() => AdaptiveAvgPool.Forward(Ctx, x, [0]));
        Assert.Contains("GlobalAvgPool 'gap': input 3×3 must be N×C", Assert.Throws<ShapeException>(() => GlobalAvgPool.Forward(Ctx, Tensor.Zeros(Shape.Of(3, 3)), "gap")).Message);
        Assert.Contains("output size 0", adaptive.Message);
        var fwd = MaxPool.Forward(Ctx, x, PoolSpec.Square(2, 2));
        var grad = Assert.Throws<ShapeException>(() => MaxPool.Backward(Ctx, fwd, Tensor.Zeros(Shape.Images(1, 1, 2, 2))));
        Assert.Contains("upstream gradient 1×1×2×2", grad.Message);
    }

    [Fact]
    public void Pool_spec_defaults_stride_to_the_kernel_and_checks_list_lengths()
    {
        var spec = new PoolSpec(2, [3, 2]);
        Assert.Equal([3, 2], spec.Stride);
        Assert.Equal(Shape.Images(1, 4, 3, 4), MaxPool.OutputShape(Shape.Images(1, 4, 9, 8), spec));
        var e = Assert.Throws<ShapeException>(() => new PoolSpec(2, [2, 2, 2]));
        Assert.Contains("kernel has 3 values (2, 2, 2) but the pooling has 2 spatial dims", e.Message);
        Assert.Equal("kernel 3×2, stride 3×2, padding 0×0, dilation 1×1", spec.ToString());
    }

    [Fact]
    public void Dilated_max_pool_picks_from_spread_taps()
    {
        // 1-d, k = 2, d = 3 on 0..6 with stride 1: windows {0,3}, {1,4}, {2,5}, {3,6}.
        var x = Tensor.FromArray(Shape.Sequences(1, 1, 7), [5f, 0f, 0f, 1f, 9f, 2f, 3f]);
        var r = MaxPool.Forward(Ctx, x, new PoolSpec(1, [2], [1], dilation: [3]));
        Assert.Equal([5f, 9f, 2f, 3f], r.Output.ToArray());
        Assert.Equal([0, 4, 5, 6], ((HostIndexStorage)r.Argmax).Data);
    }
}
