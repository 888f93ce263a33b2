using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>log-softmax(x)ₐ = xₐ − m − log Σ e^(x−m) along one dim, m = max x: the stable form (log of a softmax that underflowed to 0 would be −∞).</summary>
public static class LogSoftmax
{
    /// <summary>The LogSoftmax of x along <paramref name="dim"/> (negative counts from the end).</summary>
    /// <exception cref="ShapeException">The dim is out of range.</exception>
    public static Tensor Forward(ExecutionContext ctx, Tensor x, int dim = -1, string? layer = null)
    {
        var g = Geometry(x.Shape, dim, layer);
        var y = SeamCalls.New(ctx, x.Shape);
        ctx.Backend.Softmax(g, true, x.Storage, y.Storage);
        return y;
    }

    /// <summary>dx = dy − e^y ⊙ Σ dy along the dim.</summary>
    public static Tensor Backward(ExecutionContext ctx, Tensor y, Tensor dy, int dim = -1, string? layer = null)
    {
        var g = Geometry(y.Shape, dim, layer);
        SeamCalls.CheckGradient(LayerName.Of("LogSoftmax", layer), dy, y.Shape);
        var dx = SeamCalls.New(ctx, y.Shape);
        ctx.Backend.SoftmaxBackward(g, true, y.Storage, dy.Storage, dx.Storage);
        return dx;
    }

    private static AxisGeometry Geometry(Shape shape, int dim, string? layer)
    {
        if (shape.Rank == 0 || dim < -shape.Rank || dim >= shape.Rank)
            throw new ShapeException($"{LayerName.Of("LogSoftmax", layer)}: dim {dim} is out of range for input {shape} of rank {shape.Rank}.");
        return AxisGeometry.Around(shape, dim);
    }
}
