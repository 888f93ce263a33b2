using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Ops;
using Functional.Tests.Support;
using Xunit;
using static Functional.Tests.Support.GradCheck;

namespace Functional.Tests.Ops;

public class ActivationTests
{
    private static readonly ExecutionContext Ctx = ExecutionContext.Reference;
    private static readonly ExecutionContext Dbl = DoubleBackend.Context;

    public static TheoryData<string> Names => ["ReLU", "LeakyReLU", "Sigmoid", "Tanh"];

    private static Activation ByName(string name) => name switch
    {
        "ReLU" => Activation.ReLU,
        "LeakyReLU" => Activation.LeakyReLU(0.2f),
        "Sigmoid" => Activation.Sigmoid,
        _ => Activation.Tanh,
    };

    [Fact]
    public void Activations_give_their_textbook_values()
    {
        var x = Tensor.FromArray(Shape.Of(4), [-2f, -0.5f, 0f, 3f]);
        Assert.Equal([0f, 0f, 0f, 3f], Activation.ReLU.Forward(Ctx, x).ToArray());
        Assert.Equal([-0.2f, -0.05f, 0f, 3f], Activation.LeakyReLU(0.1f).Forward(Ctx, x).ToArray());
        var s = Activation.Sigmoid.Forward(Ctx, x).ToArray();
        Assert.Equal(0.5f, s[2]);
        Assert.Equal(1 / (1 + MathF.Exp(2f)), s[0], 6);
        Assert.Equal(MathF.Tanh(3f), Activation.Tanh.Forward(Ctx, x).ToArray()[3], 6);
    }

    [Fact]
    public void Sigmoid_does_not_overflow_for_large_negative_inputs()
    {
        var y = Activation.Sigmoid.Forward(Ctx, Tensor.FromArray(Shape.Of(2), [-1000f, 1000f])).ToArray();
        Assert.Equal([0f, 1f], y);
    }

    [Fact]
    public void ReLU_derivative_at_the_kink_is_zero_as_in_pytorch()
    {
        var x = Tensor.FromArray(Shape.Of(3), [-1f, 0f, 1f]);
        var dx = Activation.ReLU.Backward(Ctx, x, Activation.ReLU.Forward(Ctx, x), Tensor.Ones(x.Shape));
        Assert.Equal([0f, 0f, 1f], dx.ToArray());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Activation_gradients_match_central_differences(string name)
    {
        var act = ByName(name);
        var shape = Shape.Of(3, 7);
        var x = FiniteDifferences.Random(shape.Count, 21, margin: 0.05);
        Check(name, x, v => V(act.Forward(Dbl, T(shape, v))),
            r => { var xt = T(shape, x); return V(act.Backward(Dbl, xt, act.Forward(Dbl, xt), T(shape, r))); });
    }

    [Fact]
    public void Softmax_rows_sum_to_one_and_survive_huge_logits()
    {
        var x = Tensor.FromArray(Shape.Of(2, 3), [1000f, 1001f, 1002f, -5f, 0f, 5f]);
        var y = Softmax.Forward(Ctx, x).ToArray();
        Assert.Equal(1f, y[0] + y[1] + y[2], 5);
        Assert.Equal(1f, y[3] + y[4] + y[5], 5);
        var l = LogSoftmax.Forward(Ctx, x).ToArray();
        Assert.Equal(MathF.Log(y[0]), l[0], 4);
        Assert.All(l, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void Softmax_and_log_softmax_gradients_match_central_differences(int dim)
    {
        var shape = Shape.Of(2, 4, 3);
        var x = FiniteDifferences.Random(shape.Count, 22);
        Check("softmax", x, v => V(Softmax.Forward(Dbl, T(shape, v), dim)),
            r => V(Softmax.Backward(Dbl, Softmax.Forward(Dbl, T(shape, x), dim), T(shape, r), dim)));
        Check("log-softmax", x, v => V(LogSoftmax.Forward(Dbl, T(shape, v), dim)),
            r => V(LogSoftmax.Backward(Dbl, LogSoftmax.Forward(Dbl, T(shape, x), dim), T(shape, r), dim)));
    }

    [Fact]
    public void Bad_dims_and_gradients_raise_clear_errors()
    {
        var x = Tensor.Zeros(Shape.Of(2, 3));
        var e = Assert.Throws<ShapeException>(() => Softmax.Forward(Ctx, x, 2, "head"));
        Assert.Contains("Softmax 'head': dim 2 is out of range for input 2×3", e.Message);
        var g = Assert.Throws<ShapeException>(() => Activation.Tanh.Backward(Ctx, x, x, Tensor.Zeros(Shape.Of(3, 2))));
        Assert.Contains("Tanh", g.Message);
        Assert.Contains("3×2", g.Message);
    }
}
