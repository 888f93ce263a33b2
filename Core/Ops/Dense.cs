using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>The gradients of a dense layer: input, weight (out×in) and bias (absent without one).</summary>
public sealed record DenseGradients(Tensor Input, Tensor Weight, Tensor? Bias);

/// <summary>The gradients of a dense layer's weight (out×in) and bias (absent without one), without the input's.</summary>
public sealed record DenseParameterGradients(Tensor Weight, Tensor? Bias);

/// <summary>
/// Fully connected: y = x·Wᵀ + b with W of shape out×in, as PyTorch's Linear. x is N×in (or any …×in: the
/// leading dims are rows). Backward: dx = dy·W, dW = dyᵀ·x, db = Σ over rows of dy.
/// </summary>
public static class Dense
{
    /// <summary>The input shape with its last dim replaced by the weight's out.</summary>
    /// <exception cref="ShapeException">The shapes of x, W and b do not fit together.</exception>
    public static Shape OutputShape(Shape input, Shape weight, Shape? bias = null, string? layer = null)
    {
        var where = LayerName.Of("Dense", layer);
        if (weight.Rank != 2) throw new ShapeException($"{where}: weight {weight} must be out×in (rank 2).");
        if (input.Rank < 1 || input[-1] != weight[1])
            throw new ShapeException($"{where}: input {input} has {(input.Rank < 1 ? 0 : input[-1])} features but weight {weight} expects {weight[1]} (W is out×in).");
        if (bias is not null && (bias.Rank != 1 || bias[0] != weight[0]))
            throw new ShapeException($"{where}: bias {bias} must hold {weight[0]} values, one per output feature.");
        return input.With(input.Rank - 1, weight[0]);
    }

    /// <summary>y = x·Wᵀ + b.</summary>
    public static Tensor Forward(ExecutionContext ctx, Tensor x, Tensor w, Tensor? b = null, string? layer = null)
    {
        var y = SeamCalls.New(ctx, OutputShape(x.Shape, w.Shape, b?.Shape, layer));
        int rows = x.Count / w.Shape[1], outs = w.Shape[0];
        ctx.Backend.Gemm(new GemmGeometry(rows, outs, w.Shape[1], TransB: true), x.Storage, w.Storage, y.Storage);
        // The bias is added in place, as the inference plan does: y is this call's own buffer, seen by no one yet.
        if (b is not null) ctx.Backend.Binary(BinaryOp.Add, new AxisGeometry(rows, outs, 1), y.Storage, b.Storage, true, y.Storage);
        return y;
    }

    /// <summary>dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy.</summary>
    public static DenseGradients Backward(ExecutionContext ctx, Tensor x, Tensor w, Tensor dy, bool hasBias = true, string? layer = null)
    {
        SeamCalls.CheckGradient(LayerName.Of("Dense", layer), dy, OutputShape(x.Shape, w.Shape, null, layer));
        int rows = x.Count / w.Shape[1], outs = w.Shape[0], ins = w.Shape[1];
        var dx = SeamCalls.New(ctx, x.Shape);
        ctx.Backend.Gemm(new GemmGeometry(rows, ins, outs), dy.Storage, w.Storage, dx.Storage);
        var p = WeightAndBias(ctx, x, w, dy, hasBias);
        return new DenseGradients(dx, p.Weight, p.Bias);
    }

    /// <summary>dW and db only, for a layer whose input needs no gradient; the values equal <see cref="Backward"/>'s.</summary>
    public static DenseParameterGradients ParameterGradients(ExecutionContext ctx, Tensor x, Tensor w, Tensor dy, bool hasBias = true, string? layer = null)
    {
        SeamCalls.CheckGradient(LayerName.Of("Dense", layer), dy, OutputShape(x.Shape, w.Shape, null, layer));
        return WeightAndBias(ctx, x, w, dy, hasBias);
    }

    private static DenseParameterGradients WeightAndBias(ExecutionContext ctx, Tensor x, Tensor w, Tensor dy, bool hasBias)
    {
        int rows = x.Count / w.Shape[1], outs = w.Shape[0], ins = w.Shape[1];
        var dw = SeamCalls.New(ctx, w.Shape);
        ctx.Backend.Gemm(new GemmGeometry(outs, ins, rows, TransA: true), dy.Storage, x.Storage, dw.Storage);
        var db = hasBias ? SeamCalls.ReducePerAxis(ctx, ReduceOp.Sum, new AxisGeometry(rows, outs, 1), dy) : null;
        return new DenseParameterGradients(dw, db);
    }
}
