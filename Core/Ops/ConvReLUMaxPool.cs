using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>A conv, ReLU, max-pool block's pooled output and what its backward needs besides the conv's operands.</summary>
/// <param name="Argmax">Flat in-plane index of each window's maximum in the conv's output (the first one on ties).</param>
public sealed record ConvReLUMaxPoolResult(Tensor Output, IndexStorage Argmax, PoolGeometry Pool);

/// <summary>
/// MaxPool(ReLU(Conv(x))) in one seam call (<see cref="IBackend.ConvReLUMaxPoolForward"/>): the values, argmax and
/// gradients of <see cref="Conv"/>, <see cref="Activation.ReLU"/> and <see cref="MaxPool"/> one after the other, bit
/// for bit, without the conv's and the ReLU's full-size outputs (or their gradients) as tensors. The backward's
/// ReLU mask is read from the pooled output: at a window's maximum it is the ReLU's output there.
/// </summary>
public static class ConvReLUMaxPool
{
    /// <summary>The pooled output and its argmax.</summary>
    /// <exception cref="ShapeException">x, w or b do not fit the conv, or the conv's output does not fit the pooling.</exception>
    public static ConvReLUMaxPoolResult Forward(ExecutionContext ctx, ConvSpec conv, Tensor x, Tensor w, Tensor? b, PoolSpec pool, string? layer = null)
    {
        var plan = Conv.Check(conv, x, w, b, layer);
        var g = pool.Geometry(plan.OutputShape, PoolKind.Max, LayerName.Of($"MaxPool{pool.Rank}d", layer));
        var y = SeamCalls.Output(ctx, PoolSpec.OutputShapeOf(plan.OutputShape, g));
        var argmax = ctx.Backend.AllocateIndices(y.Count);
        ctx.Backend.ConvReLUMaxPoolForward(plan.Geometry, g, Conv.Padded(ctx, plan, x), w.Storage, b?.Storage, y.Storage, argmax);
        return new ConvReLUMaxPoolResult(y, argmax, g);
    }

    /// <summary>dx, dW and db for the pooled output's gradient <paramref name="dy"/>.</summary>
    public static ConvGradients Backward(ExecutionContext ctx, ConvSpec conv, Tensor x, Tensor w, Tensor? b, ConvReLUMaxPoolResult forward, Tensor dy, string? layer = null)
    {
        var (dx, dw, db) = Run(ctx, conv, x, w, b, forward, dy, layer, inputGradient: true);
        return new ConvGradients(dx!, dw, db);
    }

    /// <summary>dW and db only, for a block whose input needs no gradient (the first of a network).</summary>
    public static ConvParameterGradients ParameterGradients(ExecutionContext ctx, ConvSpec conv, Tensor x, Tensor w, Tensor? b, ConvReLUMaxPoolResult forward, Tensor dy, string? layer = null)
    {
        var (_, dw, db) = Run(ctx, conv, x, w, b, forward, dy, layer, inputGradient: false);
        return new ConvParameterGradients(dw, db);
    }

    private static (Tensor? Input, Tensor Weight, Tensor? Bias) Run(ExecutionContext ctx, ConvSpec conv, Tensor x, Tensor w, Tensor? b,
        ConvReLUMaxPoolResult forward, Tensor dy, string? layer, bool inputGradient)
    {
        var plan = Conv.Check(conv, x, w, b, layer);
        SeamCalls.CheckGradient(LayerName.Of($"MaxPool{forward.Pool.Rank}d", layer), dy, forward.Output.Shape);
        var (g, backend) = (plan.Geometry, ctx.Backend);
        var dxPadded = inputGradient ? backend.AllocateUninitialized(g.InputLength) : null;
        var dw = backend.AllocateUninitialized(g.WeightLength);
        var db = b is null ? null : backend.AllocateUninitialized(g.OutChannels);
        backend.ConvReLUMaxPoolBackward(g, forward.Pool, Conv.Padded(ctx, plan, x), w.Storage, forward.Output.Storage, forward.Argmax,
            dy.Storage, dxPadded, dw, db);
        var dx = dxPadded is null ? null
            : new Tensor(x.Shape, plan.Pad is { } pad ? Pad.ApplyBackward(ctx, pad, plan.PaddingMode, dxPadded) : dxPadded);
        return (dx, new Tensor(w.Shape, dw), db is null ? null : new Tensor(b!.Shape, db));
    }
}
