using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Ops;
using Functional.Tests.Support;
using Xunit;
using static Functional.Tests.Support.GradCheck;

namespace Functional.Tests.Ops;

public class LossTests
{
    private static readonly ExecutionContext Ctx = ExecutionContext.Reference;
    private static readonly ExecutionContext Dbl = DoubleBackend.Context;

    [Fact]
    public void Uniform_logits_cost_log_k_and_the_gradient_is_softmax_minus_onehot_over_n()
    {
        var r = CrossEntropy.Compute(Ctx, Tensor.Zeros(Shape.Of(2, 4)), [1, 3]);
        Assert.Equal(MathF.Log(4f), r.Value, 6);
        Assert.Equal(Shape.Scalar, r.Loss.Shape);
        float[] expected = [0.125f, -0.375f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, -0.375f];
        Assert.Equal(expected, r.Gradient.ToArray(), new FloatTolerance(1e-7f));
    }

    [Fact]
    public void Label_smoothing_mixes_the_uniform_distribution_into_the_target()
    {
        var logits = Tensor.FromArray(Shape.Of(1, 3), [2f, 0f, -1f]);
        var lp = LogSoftmax.Forward(Ctx, logits).ToArray();
        var r = CrossEntropy.Compute(Ctx, logits, [0], labelSmoothing: 0.3f);
        var expected = -(0.8f * lp[0] + 0.1f * lp[1] + 0.1f * lp[2]);
        Assert.Equal(expected, r.Value, 5);
    }

    [Fact]
    public void Huge_logits_give_a_finite_loss()
    {
        var r = CrossEntropy.Compute(Ctx, Tensor.FromArray(Shape.Of(1, 2), [1e30f, -1e30f]), [1]);
        Assert.Equal(2e30f, r.Value, 1e24f);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void Cross_entropy_gradient_matches_central_differences(float smoothing)
    {
        var shape = Shape.Of(3, 5);
        int[] labels = [4, 0, 2];
        Check("cross-entropy dx", FiniteDifferences.Random(shape.Count, 61),
            v => [V(CrossEntropy.Compute(Dbl, T(shape, v), labels, smoothing).Loss)[0]],
            r => V(CrossEntropy.Compute(Dbl, T(shape, FiniteDifferences.Random(shape.Count, 61)), labels, smoothing).Gradient).Select(g => g * r[0]).ToArray());
    }

    [Fact]
    public void Labels_outside_the_classes_are_rejected_naming_the_sample()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Compute(Ctx, Tensor.Zeros(Shape.Of(3, 10)), [1, 10, 2]));
        Assert.Contains("label 10 of sample 1 is outside [0, 10)", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => CrossEntropy.Compute(Ctx, Tensor.Zeros(Shape.Of(1, 10)), [-1]));
        var n = Assert.Throws<ShapeException>(() => CrossEntropy.Compute(Ctx, Tensor.Zeros(Shape.Of(3, 10)), [1, 2]));
        Assert.Contains("2 labels for 3 samples", n.Message);
    }

    [Fact]
    public void A_non_finite_logit_is_reported_with_its_sample_and_class()
    {
        var x = Tensor.FromArray(Shape.Of(2, 3), [0f, 1f, 2f, 0f, float.NaN, 1f]);
        var e = Assert.Throws<NonFiniteLossException>(() => CrossEntropy.Compute(Ctx, x, [0, 1], layer: "loss"));
        Assert.Contains("sample 1, class 1", e.Message);
        Assert.Equal(1, e.Sample);
    }

    [Fact]
    public void Mse_is_the_mean_squared_error_with_gradient_two_error_over_n()
    {
        var p = Tensor.FromArray(Shape.Of(2, 2), [1f, 2f, 3f, 4f]);
        var t = Tensor.FromArray(Shape.Of(2, 2), [1f, 0f, 3f, 5f]);
        var r = Mse.Compute(Ctx, p, t);
        Assert.Equal(5f / 4f, r.Value);
        Assert.Equal([0f, 1f, 0f, -0.5f], r.Gradient.ToArray());
        var s = Assert.Throws<ShapeException>(() => Mse.Compute(Ctx, p, Tensor.Zeros(Shape.Of(4))));
        Assert.Contains("prediction 2×2 and target 4 differ", s.Message);
        var inf = Assert.Throws<NonFiniteLossException>(() => Mse.Compute(Ctx, p, Tensor.FromArray(Shape.Of(2, 2), [1f, 0f, float.PositiveInfinity, 5f])));
        Assert.Contains("element 2 (sample 1)", inf.Message);
    }

    [Fact]
    public void Mse_gradient_matches_central_differences()
    {
        var shape = Shape.Of(3, 4);
        var target = T(shape, FiniteDifferences.Random(shape.Count, 62));
        var x = FiniteDifferences.Random(shape.Count, 63);
        Check("mse dx", x, v => [V(Mse.Compute(Dbl, T(shape, v), target).Loss)[0]],
            r => V(Mse.Compute(Dbl, T(shape, x), target).Gradient).Select(g => g * r[0]).ToArray());
    }
}
