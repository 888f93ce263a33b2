using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>Mean squared error: loss = (1/n)·Σ (ŷ − t)² over all n elements; gradient 2(ŷ − t)/n.</summary>
public static class Mse
{
    /// <summary>The mean loss and its gradient with respect to the prediction.</summary>
    /// <exception cref="ShapeException">Prediction and target shapes differ, or are empty.</exception>
    /// <exception cref="NonFiniteLossException">The loss is NaN or infinite; the message names the first bad element.</exception>
    public static LossResult Compute(ExecutionContext ctx, Tensor prediction, Tensor target, string? layer = null)
    {
        var where = LayerName.Of("Mse", layer);
        if (prediction.Shape != target.Shape)
            throw new ShapeException($"{where}: prediction {prediction.Shape} and target {target.Shape} differ.");
        if (prediction.Count == 0) throw new ShapeException($"{where}: prediction {prediction.Shape} is empty.");
        var diff = SeamCalls.Binary(ctx, BinaryOp.Subtract, prediction, target);
        var loss = SeamCalls.Unary(ctx, UnaryOp.Scale, SeamCalls.ReduceAll(ctx, ReduceOp.SumOfSquares, diff), 1f / prediction.Count);
        if (!float.IsFinite(loss.Span[0])) throw NonFinite(where, prediction, diff);
        return new LossResult(loss, SeamCalls.Unary(ctx, UnaryOp.Scale, diff, 2f / prediction.Count));
    }

    private static NonFiniteLossException NonFinite(string where, Tensor prediction, Tensor diff)
    {
        var d = diff.Span;
        var perSample = prediction.Shape.Rank == 0 ? 1 : Math.Max(1, prediction.Count / Math.Max(1, prediction.Shape[0]));
        for (var i = 0; i < d.Length; i++)
            if (!float.IsFinite(d[i] * d[i]))
                return new($"{where}: the loss is not finite: element {i} (sample {i / perSample}) has prediction {prediction.Span[i]} and error {d[i]}.", i / perSample);
        return new($"{where}: the sum of squared errors overflowed although every element is finite.", -1);
    }
}
