using Functional.Backends;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Ops;

/// <summary>Gradients of a convolution: with respect to its input, its weights and (when it has one) its bias.</summary>
public sealed record ConvGradients(Tensor Input, Tensor Weight, Tensor? Bias);

/// <summary>Gradients of a convolution with respect to its weights and (when it has one) its bias only.</summary>
public sealed record ConvParameterGradients(Tensor Weight, Tensor? Bias);

/// <summary>
/// Convolution (cross-correlation, as in every deep-learning framework), 1-, 2- or 3-d, described by a
/// <see cref="ConvSpec"/>: y[n,co,o] = b[co] + Σ_{ci,k} x[n,ci,o·s−p+k·d] · w[co,ci,k]. Weights are
/// C_out × C_in/groups × kernel. Non-zero padding modes pad explicitly, then convolve without padding.
/// </summary>
public static class Conv
{
    /// <summary>The shape rule: N×C_in×spatial → N×C_out×spatial', o = ⌊(i + p₀ + p₁ − d(k−1) − 1)/s⌋ + 1 per dim.</summary>
    public static Shape OutputShape(ConvSpec spec, Shape input, string? layer = null) => spec.OutputShape(input, layer);

    /// <summary>y = x ⋆ w (+ b).</summary>
    /// <exception cref="ShapeException">x, w or b do not fit the spec or each other.</exception>
    public static Tensor Forward(ExecutionContext ctx, ConvSpec spec, Tensor x, Tensor w, Tensor? b = null, string? layer = null)
    {
        var plan = Check(spec, x, w, b, layer);
        var y = ctx.Backend.AllocateUninitialized(plan.OutputShape.Count);
        ctx.Backend.ConvForward(plan.Geometry, Padded(ctx, plan, x), w.Storage, b?.Storage, y);
        return new Tensor(plan.OutputShape, y);
    }

    /// <summary>
    /// The gradients for upstream gradient <paramref name="dy"/>: dW = x ⋆ dy (correlation of the input with dy),
    /// dx = the full correlation of the stride-dilated dy with the flipped kernel, db = Σ dy per channel. With a
    /// non-zero padding mode, dx is first found for the padded input and then folded back by the pad's adjoint.
    /// </summary>
    public static ConvGradients Backward(ExecutionContext ctx, ConvSpec spec, Tensor x, Tensor w, Tensor? b, Tensor dy, string? layer = null)
    {
        var plan = Check(spec, x, w, b, layer);
        CheckUpstream(plan.Where, dy, plan.OutputShape);
        var g = plan.Geometry;
        var backend = ctx.Backend;

        var dxPadded = backend.AllocateUninitialized(g.InputLength);
        backend.ConvBackwardData(g, dy.Storage, w.Storage, dxPadded);
        var dx = plan.Pad is { } pad ? Pad.ApplyBackward(ctx, pad, plan.PaddingMode, dxPadded) : dxPadded;

        var dw = backend.AllocateUninitialized(g.WeightLength);
        var db = b is null ? null : backend.AllocateUninitialized(g.OutChannels);
        backend.ConvBackwardFilter(g, Padded(ctx, plan, x), dy.Storage, dw, db);

        return new ConvGradients(new Tensor(x.Shape, dx), new Tensor(w.Shape, dw), db is null ? null : new Tensor(b!.Shape, db));
    }

    /// <summary>
    /// dW and db only, for a conv whose input needs no gradient (the first layer of a network in a training step):
    /// the input-gradient GEMM and its scatter are skipped. The values equal <see cref="Backward"/>'s.
    /// </summary>
    public static ConvParameterGradients ParameterGradients(ExecutionContext ctx, ConvSpec spec, Tensor x, Tensor w, Tensor? b, Tensor dy, string? layer = null)
    {
        var plan = Check(spec, x, w, b, layer);
        CheckUpstream(plan.Where, dy, plan.OutputShape);
        var g = plan.Geometry;
        var dw = ctx.Backend.AllocateUninitialized(g.WeightLength);
        var db = b is null ? null : ctx.Backend.AllocateUninitialized(g.OutChannels);
        ctx.Backend.ConvBackwardFilter(g, Padded(ctx, plan, x), dy.Storage, dw, db);
        return new ConvParameterGradients(new Tensor(w.Shape, dw), db is null ? null : new Tensor(b!.Shape, db));
    }

    /// <summary>Plans the conv and checks that x, w and b agree with the spec and each other.</summary>
    internal static ConvPlan Check(ConvSpec spec, Tensor x, Tensor w, Tensor? b, string? layer)
    {
        var plan = spec.Plan(x.Shape, layer);
        CheckWeight(plan.Where, w.Shape, plan.WeightShape, x.Shape, spec.Groups, transposed: false);
        CheckBias(plan.Where, b, plan.BiasShape);
        return plan;
    }

    /// <summary>Explains which dim of w disagrees; <paramref name="transposed"/> selects the C_in × C_out/groups layout.</summary>
    internal static void CheckWeight(string where, Shape w, Shape expected, Shape x, int groups, bool transposed)
    {
        if (w == expected) return;
        var (inAxis, outAxis) = transposed ? (0, 1) : (1, 0);
        var perGroup = groups == 1 ? "" : $" per group ({x[1]}/{groups} = {expected[inAxis]})";
        var reason = w.Rank != expected.Rank
            ? $"it has rank {w.Rank}, not {expected.Rank}"
            : w[inAxis] != expected[inAxis]
                ? $"it takes {w[inAxis]} input channels{(transposed ? "" : " per group")} along dim {inAxis}, but input {x} has {x[1]} channels{perGroup}"
                : w[outAxis] != expected[outAxis]
                    ? $"dim {outAxis} is {w[outAxis]}, but {(transposed ? "output channels / groups" : "the output channels")} need {expected[outAxis]}"
                    : $"its kernel is {Shape.Of(w.Dims[2..])}, not {Shape.Of(expected.Dims[2..])}";
        var layout = transposed ? "C_in × C_out/groups × kernel, the transposed layout" : "C_out × C_in/groups × kernel";
        throw new ShapeException($"{where}: weight {w} does not fit: {reason}; expected {expected} ({layout}).");
    }

    internal static void CheckBias(string where, Tensor? b, Shape? expected)
    {
        if (expected is null && b is not null)
            throw new ShapeException($"{where}: a bias {b.Shape} was given but the layer is configured without bias.");
        if (expected is not null && b is null)
            throw new ShapeException($"{where}: the layer is configured with a bias of shape {expected} but none was given.");
        if (expected is not null && b!.Shape != expected)
            throw new ShapeException($"{where}: bias {b.Shape} should have shape {expected} (one value per output channel).");
    }

    internal static void CheckUpstream(string where, Tensor dy, Shape expected)
    {
        if (dy.Shape != expected)
            throw new ShapeException($"{where}: upstream gradient {dy.Shape} should have the output shape {expected}.");
    }

    // The input as the conv kernel reads it: padded explicitly when the mode is not zeros.
    internal static TensorStorage Padded(ExecutionContext ctx, ConvPlan plan, Tensor x) =>
        plan.Pad is { } pad ? Pad.Apply(ctx, pad, plan.PaddingMode, x.Storage) : x.Storage;
}
