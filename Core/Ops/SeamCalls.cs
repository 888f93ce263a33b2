using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>
/// Seam entries as functions from tensors to fresh tensors, for operations composed of several kernels
/// (batch norm, losses, dense). Each call allocates its output on the context's backend, uncleared since the kernel writes all of it, and wraps it.
/// </summary>
internal static class SeamCalls
{
    /// <summary>A fresh zero tensor of <paramref name="shape"/> on the context's backend.</summary>
    public static Tensor New(ExecutionContext ctx, Shape shape) => new(shape, ctx.Backend.Allocate(shape.Count));

    /// <summary>A fresh tensor of <paramref name="shape"/> with unspecified contents, for a kernel that writes every element.</summary>
    public static Tensor Output(ExecutionContext ctx, Shape shape) => new(shape, ctx.Backend.AllocateUninitialized(shape.Count));

    /// <summary>Throws unless an upstream gradient has the shape of the output it belongs to.</summary>
    public static void CheckGradient(string where, Tensor dy, Shape expected)
    {
        if (dy.Shape != expected)
            throw new ShapeException($"{where}: upstream gradient {dy.Shape} does not match the output shape {expected}.");
    }

    /// <summary>f(x) element-wise.</summary>
    public static Tensor Unary(ExecutionContext ctx, UnaryOp op, Tensor x, float alpha = 0f)
    {
        var y = Output(ctx, x.Shape);
        ctx.Backend.Unary(op, alpha, x.Storage, y.Storage);
        return y;
    }

    /// <summary>a ∘ b for equal shapes.</summary>
    public static Tensor Binary(ExecutionContext ctx, BinaryOp op, Tensor a, Tensor b)
    {
        var y = Output(ctx, a.Shape);
        ctx.Backend.Binary(op, new AxisGeometry(1, a.Count, 1), a.Storage, b.Storage, false, y.Storage);
        return y;
    }

    /// <summary>a ∘ b with b holding one value per index of <paramref name="g"/>'s Axis.</summary>
    public static Tensor PerAxis(ExecutionContext ctx, BinaryOp op, in AxisGeometry g, Tensor a, Tensor b)
    {
        var y = Output(ctx, a.Shape);
        ctx.Backend.Binary(op, g, a.Storage, b.Storage, true, y.Storage);
        return y;
    }

    /// <summary>One value per Axis index, reduced over Outer and Inner.</summary>
    public static Tensor ReducePerAxis(ExecutionContext ctx, ReduceOp op, in AxisGeometry g, Tensor x)
    {
        var y = Output(ctx, Shape.Of(g.Axis));
        ctx.Backend.Reduce(op, g, x.Storage, true, y.Storage);
        return y;
    }

    /// <summary>The reduction of every element into a rank-0 tensor.</summary>
    public static Tensor ReduceAll(ExecutionContext ctx, ReduceOp op, Tensor x)
    {
        var y = Output(ctx, Shape.Scalar);
        ctx.Backend.Reduce(op, new AxisGeometry(1, x.Count, 1), x.Storage, false, y.Storage);
        return y;
    }
}
