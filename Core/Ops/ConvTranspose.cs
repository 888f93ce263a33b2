using Functional.Backends;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Ops;

/// <summary>
/// Transposed convolution, 1-, 2- or 3-d, described by a <see cref="ConvTransposeSpec"/>; weights are PyTorch's
/// C_in × C_out/groups × kernel. It is the adjoint of the conv that maps its output back to its input (the plan's
/// underlying geometry), so the three conv kernels swap roles: forward is that conv's backward-data, the input
/// gradient is that conv's forward, and the weight gradient is its backward-filter with x and dy exchanged.
/// </summary>
public static class ConvTranspose
{
    /// <summary>The shape rule: o = (i−1)s − 2p + d(k−1) + output_padding + 1 per dim.</summary>
    public static Shape OutputShape(ConvTransposeSpec spec, Shape input, string? layer = null) => spec.OutputShape(input, layer);

    /// <summary>y = Aᵀx (+ b), where A is the underlying conv with weights w.</summary>
    /// <exception cref="ShapeException">x, w or b do not fit the spec or each other.</exception>
    public static Tensor Forward(ExecutionContext ctx, ConvTransposeSpec spec, Tensor x, Tensor w, Tensor? b = null, string? layer = null)
    {
        var plan = Check(spec, x, w, b, layer);
        var g = plan.Underlying;
        var y = ctx.Backend.AllocateUninitialized(g.InputLength);
        ctx.Backend.ConvBackwardData(g, x.Storage, w.Storage, y);
        return new Tensor(plan.OutputShape, b is null ? y : AddBias(ctx, g, y, b.Storage));
    }

    /// <summary>dx = A·dy; dw[ci,co,k] = Σ dy[co, o·s−p+k·d] · x[ci, o] (backward-filter with dy as the input); db = Σ dy per channel.</summary>
    public static ConvGradients Backward(ExecutionContext ctx, ConvTransposeSpec spec, Tensor x, Tensor w, Tensor? b, Tensor dy, string? layer = null)
    {
        var plan = Check(spec, x, w, b, layer);
        Conv.CheckUpstream(plan.Where, dy, plan.OutputShape);
        var g = plan.Underlying;
        var backend = ctx.Backend;

        var dx = backend.AllocateUninitialized(g.OutputLength);
        backend.ConvForward(g, dy.Storage, w.Storage, null, dx);
        var p = WeightAndBias(ctx, g, x, w, b, dy);
        return new ConvGradients(new Tensor(x.Shape, dx), p.Weight, p.Bias);
    }

    /// <summary>dw and db only, for a layer whose input needs no gradient; the values equal <see cref="Backward"/>'s.</summary>
    public static ConvParameterGradients ParameterGradients(ExecutionContext ctx, ConvTransposeSpec spec, Tensor x, Tensor w, Tensor? b, Tensor dy, string? layer = null)
    {
        var plan = Check(spec, x, w, b, layer);
        Conv.CheckUpstream(plan.Where, dy, plan.OutputShape);
        return WeightAndBias(ctx, plan.Underlying, x, w, b, dy);
    }

    private static ConvParameterGradients WeightAndBias(ExecutionContext ctx, in ConvGeometry g, Tensor x, Tensor w, Tensor? b, Tensor dy)
    {
        var dw = ctx.Backend.AllocateUninitialized(g.WeightLength);
        ctx.Backend.ConvBackwardFilter(g, dy.Storage, x.Storage, dw, null);
        var db = b is null ? null : new Tensor(b.Shape, BiasGradient(ctx, g, dy.Storage));
        return new ConvParameterGradients(new Tensor(w.Shape, dw), db);
    }

    private static ConvTransposePlan Check(ConvTransposeSpec spec, Tensor x, Tensor w, Tensor? b, string? layer)
    {
        var plan = spec.Plan(x.Shape, layer);
        Conv.CheckWeight(plan.Where, w.Shape, plan.WeightShape, x.Shape, spec.Groups, transposed: true);
        Conv.CheckBias(plan.Where, b, plan.BiasShape);
        return plan;
    }

    // Our output is N × C_out × spatial: the bias broadcasts along the channel axis, and its gradient sums the rest.
    private static AxisGeometry Channels(in ConvGeometry g) => new(g.Batch, g.InChannels, g.Input.Product);

    private static TensorStorage AddBias(ExecutionContext ctx, in ConvGeometry g, TensorStorage y, TensorStorage bias)
    {
        var biased = ctx.Backend.AllocateUninitialized(g.InputLength);
        ctx.Backend.Binary(BinaryOp.Add, Channels(g), y, bias, bPerAxis: true, biased);
        return biased;
    }

    private static TensorStorage BiasGradient(ExecutionContext ctx, in ConvGeometry g, TensorStorage dy)
    {
        var db = ctx.Backend.AllocateUninitialized(g.InChannels);
        ctx.Backend.Reduce(ReduceOp.Sum, Channels(g), dy, keepAxis: true, db);
        return db;
    }
}
