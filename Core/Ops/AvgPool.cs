using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>
/// Average pooling over 1, 2 or 3 spatial dims: y = (1/n)·Σ window. With <c>count_include_pad</c> n is the
/// window clipped to the padded input (in ceil mode a window may run past it); otherwise n counts only input
/// elements, exactly as PyTorch. ∂y/∂x = 1/n for each element of the window.
/// </summary>
public static class AvgPool
{
    /// <summary>N×C×o… for an N×C×i… input.</summary>
    public static Shape OutputShape(Shape input, PoolSpec spec, string? layer = null) =>
        spec.OutputShape(input, LayerName.Of(Name(spec), layer));

    /// <summary>The window averages.</summary>
    /// <exception cref="ShapeException">The input rank or a hyper-parameter does not fit.</exception>
    public static Tensor Forward(ExecutionContext ctx, Tensor x, PoolSpec spec, string? layer = null)
    {
        var g = spec.Geometry(x.Shape, PoolKind.Average, LayerName.Of(Name(spec), layer));
        var y = SeamCalls.New(ctx, PoolSpec.OutputShapeOf(x.Shape, g));
        ctx.Backend.PoolForward(g, x.Storage, y.Storage, null);
        return y;
    }

    /// <summary>dx: each dy spread as dy/n over the input elements of its window.</summary>
    public static Tensor Backward(ExecutionContext ctx, Shape inputShape, PoolSpec spec, Tensor dy, string? layer = null)
    {
        var where = LayerName.Of(Name(spec), layer);
        var g = spec.Geometry(inputShape, PoolKind.Average, where);
        SeamCalls.CheckGradient(where, dy, PoolSpec.OutputShapeOf(inputShape, g));
        var dx = SeamCalls.New(ctx, inputShape);
        ctx.Backend.PoolBackward(g, dy.Storage, null, dx.Storage);
        return dx;
    }

    private static string Name(PoolSpec spec) => $"AvgPool{spec.Rank}d";
}
