using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>A max pooling's output and what its backward needs: the argmax of every output and the geometry.</summary>
/// <param name="Argmax">Flat in-plane index of the maximum each output took (the first one on ties).</param>
public sealed record MaxPoolResult(Tensor Output, IndexStorage Argmax, Shape InputShape, PoolGeometry Geometry);

/// <summary>
/// Max pooling over 1, 2 or 3 spatial dims: y = max over the window. The first maximum in row-major order wins
/// ties (common after ReLU), as PyTorch; padded positions never win. ∂y/∂x is the indicator of that argmax.
/// </summary>
public static class MaxPool
{
    /// <summary>N×C×o… for an N×C×i… input.</summary>
    public static Shape OutputShape(Shape input, PoolSpec spec, string? layer = null) =>
        spec.OutputShape(input, LayerName.Of(Name(spec), layer));

    /// <summary>The pooled output and its argmax.</summary>
    /// <exception cref="ShapeException">The input rank or a hyper-parameter does not fit.</exception>
    public static MaxPoolResult Forward(ExecutionContext ctx, Tensor x, PoolSpec spec, string? layer = null)
    {
        var g = spec.Geometry(x.Shape, PoolKind.Max, LayerName.Of(Name(spec), layer));
        var y = SeamCalls.Output(ctx, PoolSpec.OutputShapeOf(x.Shape, g));
        var argmax = ctx.Backend.AllocateIndices(y.Count);
        ctx.Backend.PoolForward(g, x.Storage, y.Storage, argmax);
        return new MaxPoolResult(y, argmax, x.Shape, g);
    }

    /// <summary>dx: each dy goes to the input element that was the maximum of its window; the rest get 0.</summary>
    public static Tensor Backward(ExecutionContext ctx, MaxPoolResult forward, Tensor dy, string? layer = null)
    {
        SeamCalls.CheckGradient(LayerName.Of($"MaxPool{forward.Geometry.Rank}d", layer), dy, forward.Output.Shape);
        var dx = SeamCalls.Output(ctx, forward.InputShape);
        ctx.Backend.PoolBackward(forward.Geometry, dy.Storage, forward.Argmax, dx.Storage);
        return dx;
    }

    private static string Name(PoolSpec spec) => $"MaxPool{spec.Rank}d";
}
