using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Ops;
using Functional.Random;
using Functional.Tests.Support;
using Xunit;
using static Functional.Tests.Support.GradCheck;

namespace Functional.Tests.Ops;

public class DropoutTests
{
    private static readonly ExecutionContext Ctx = ExecutionContext.Reference;

    [Fact]
    public void The_same_key_drops_the_same_elements_and_kept_ones_are_scaled()
    {
        var x = Tensor.Ones(Shape.Of(100, 100));
        var a = Dropout.Forward(Ctx, x, 0.3f, Key.FromSeed(5), training: true).Output.ToArray();
        var b = Dropout.Forward(Ctx, x, 0.3f, Key.FromSeed(5), training: true).Output.ToArray();
        var c = Dropout.Forward(Ctx, x, 0.3f, Key.FromSeed(6), training: true).Output.ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.True(v == 0f || MathF.Abs(v - 1f / 0.7f) < 1e-6f, $"{v} is neither 0 nor 1/(1−p)"));
        var dropped = a.Count(v => v == 0f) / (double)a.Length;
        Assert.InRange(dropped, 0.28, 0.32);     // 10 000 Bernoulli(0.3) draws: σ ≈ 0.005
    }

    [Fact]
    public void Inference_is_the_identity_and_bad_probabilities_are_rejected()
    {
        var x = Tensor.Arange(Shape.Of(3, 3));
        var r = Dropout.Forward(Ctx, x, 0.5f, Key.FromSeed(1), training: false);
        Assert.Same(x, r.Output);
        Assert.Same(x, Dropout.Backward(Ctx, r, x));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(Ctx, x, 1.5f, Key.FromSeed(1), true, "drop1"));
        Assert.Contains("Dropout 'drop1': the drop probability 1.5 must be in [0, 1]", e.Message);
    }

    [Fact]
    public void Dropout_gradient_matches_central_differences()
    {
        var shape = Shape.Of(4, 6);
        var x = FiniteDifferences.Random(shape.Count, 51);
        var key = Key.FromSeed(9);
        var dbl = DoubleBackend.Context;
        Check("dropout dx", x, v => V(Dropout.Forward(dbl, T(shape, v), 0.4f, key, true).Output),
            r => V(Dropout.Backward(dbl, Dropout.Forward(dbl, T(shape, x), 0.4f, key, true), T(shape, r))));
    }
}
