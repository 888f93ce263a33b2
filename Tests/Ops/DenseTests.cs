using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Ops;
using Functional.Tests.Support;
using Xunit;
using static Functional.Tests.Support.GradCheck;

namespace Functional.Tests.Ops;

public class DenseTests
{
    private static readonly ExecutionContext Ctx = ExecutionContext.Reference;
    private static readonly ExecutionContext Dbl = DoubleBackend.Context;

    [Fact]
    public void Dense_computes_x_times_w_transposed_plus_b()
    {
        var x = Tensor.FromArray(Shape.Of(1, 2), [1f, 2f]);
        var w = Tensor.FromArray(Shape.Of(3, 2), [1f, 0f, 0f, 1f, 1f, 1f]);     // out×in
        var b = Tensor.FromArray(Shape.Of(3), [10f, 20f, 30f]);
        Assert.Equal([11f, 22f, 33f], Dense.Forward(Ctx, x, w, b).ToArray());
    }

    [Fact]
    public void Dense_gradients_match_central_differences()
    {
        Shape xs = Shape.Of(3, 4), ws = Shape.Of(5, 4), bs = Shape.Of(5), ys = Shape.Of(3, 5);
        double[] x = FiniteDifferences.Random(12, 31), w = FiniteDifferences.Random(20, 32), b = FiniteDifferences.Random(5, 33);
        DenseGradients Grads(double[] r) => Dense.Backward(Dbl, T(xs, x), T(ws, w), T(ys, r));
        Check("dense dx", x, v => V(Dense.Forward(Dbl, T(xs, v), T(ws, w), T(bs, b))), r => V(Grads(r).Input));
        Check("dense dW", w, v => V(Dense.Forward(Dbl, T(xs, x), T(ws, v), T(bs, b))), r => V(Grads(r).Weight));
        Check("dense db", b, v => V(Dense.Forward(Dbl, T(xs, x), T(ws, w), T(bs, v))), r => V(Grads(r).Bias!));
    }

    [Fact]
    public void Dense_rejects_mismatched_features()
    {
        var e = Assert.Throws<ShapeException>(() => Dense.Forward(Ctx, Tensor.Zeros(Shape.Of(2, 400)), Tensor.Zeros(Shape.Of(120, 256)), null, "fc1"));
        Assert.Contains("Dense 'fc1': input 2×400 has 400 features but weight 120×256 expects 256", e.Message);
        var b = Assert.Throws<ShapeException>(() => Dense.Forward(Ctx, Tensor.Zeros(Shape.Of(2, 4)), Tensor.Zeros(Shape.Of(3, 4)), Tensor.Zeros(Shape.Of(4))));
        Assert.Contains("bias 4 must hold 3 values", b.Message);
    }

    [Fact]
    public void Flatten_is_a_row_major_view_and_its_backward_restores_the_shape()
    {
        var x = Tensor.Arange(Shape.Images(2, 16, 5, 5));
        var y = Flatten.Forward(Ctx, x);
        Assert.Equal(Shape.Of(2, 400), y.Shape);
        Assert.Same(x.Storage, y.Storage);
        var dx = Flatten.Backward(Ctx, x.Shape, y);
        Assert.Equal(x.Shape, dx.Shape);
        Assert.Equal(x.ToArray(), dx.ToArray());
        Assert.Throws<ShapeException>(() => Flatten.Forward(Ctx, Tensor.Zeros(Shape.Of(4))));
    }

    [Fact]
    public void Add_sums_and_passes_the_gradient_to_both_sides()
    {
        var a = Tensor.Arange(Shape.Of(2, 2));
        var y = Add.Forward(Ctx, a, Tensor.Ones(a.Shape));
        Assert.Equal([1f, 2f, 3f, 4f], y.ToArray());
        var g = Add.Backward(Ctx, y);
        Assert.Equal(y.ToArray(), g.Left.ToArray());
        Assert.Equal(y.ToArray(), g.Right.ToArray());
        var e = Assert.Throws<ShapeException>(() => Add.Forward(Ctx, a, Tensor.Zeros(Shape.Of(4))));
        Assert.Contains("2×2 and 4 differ", e.Message);
    }

    [Fact]
    public void Concat_joins_channels_and_its_backward_slices_them_back()
    {
        var a = Tensor.Arange(Shape.Images(2, 1, 2, 2));
        var b = Tensor.Arange(Shape.Images(2, 2, 2, 2), 100f);
        var y = Concat.Forward(Ctx, [a, b]);
        Assert.Equal(Shape.Images(2, 3, 2, 2), y.Shape);
        Assert.Equal(a[1, 0, 1, 1], y[1, 0, 1, 1]);
        Assert.Equal(b[1, 1, 0, 1], y[1, 2, 0, 1]);
        var g = Concat.Backward(Ctx, [a.Shape, b.Shape], y);
        Assert.Equal(a.ToArray(), g.Inputs[0].ToArray());
        Assert.Equal(b.ToArray(), g.Inputs[1].ToArray());
        var e = Assert.Throws<ShapeException>(() => Concat.Forward(Ctx, [a, Tensor.Zeros(Shape.Images(2, 1, 3, 2))], layer: "merge"));
        Assert.Contains("Concat 'merge'", e.Message);
    }

    [Fact]
    public void Concat_flatten_and_add_gradients_match_central_differences()
    {
        Shape s1 = Shape.Images(2, 1, 2, 3), s2 = Shape.Images(2, 3, 2, 3);
        var a = FiniteDifferences.Random(s1.Count, 34);
        var b = FiniteDifferences.Random(s2.Count, 35);
        var ys = Shape.Images(2, 4, 2, 3);
        Check("concat d1", a, v => V(Concat.Forward(Dbl, [T(s1, v), T(s2, b)])), r => V(Concat.Backward(Dbl, [s1, s2], T(ys, r)).Inputs[0]));
        Check("concat d2", b, v => V(Concat.Forward(Dbl, [T(s1, a), T(s2, v)])), r => V(Concat.Backward(Dbl, [s1, s2], T(ys, r)).Inputs[1]));
        var other = (double[])a.Clone();
        Check("flatten", a, v => V(Flatten.Forward(Dbl, T(s1, v))), r => V(Flatten.Backward(Dbl, s1, T(Shape.Of(2, 6), r))));
        Check("add", a, v => V(Add.Forward(Dbl, T(s1, v), T(s1, other))), r => V(Add.Backward(Dbl, T(s1, r)).Left));
    }
}
