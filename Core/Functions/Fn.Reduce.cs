using Functional.Backends;
using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Functions;

public static partial class Fn
{
    /// <summary>Σ over <paramref name="dims"/> (every dim when none are given), as PyTorch's <c>sum(dims, keepdim)</c>.</summary>
    /// <exception cref="ShapeException">A dim is out of range or given twice.</exception>
    public static Var Sum(Var x, int[]? dims = null, bool keepDim = false) => Reduction("sum", ReduceOp.Sum, x, dims, keepDim);

    /// <summary>The mean over <paramref name="dims"/> (every dim when none are given).</summary>
    public static Var Mean(Var x, int[]? dims = null, bool keepDim = false) => Reduction("mean", ReduceOp.Mean, x, dims, keepDim);

    /// <summary>
    /// The maximum over <paramref name="dims"/> (PyTorch's <c>amax</c>): the gradient is shared evenly among the
    /// elements equal to the maximum, as amax's is; a NaN maximum gives NaN gradients.
    /// </summary>
    public static Var Max(Var x, int[]? dims = null, bool keepDim = false) => Reduction("max", ReduceOp.Max, x, dims, keepDim);

    private static Var Reduction(string name, ReduceOp op, Var x, int[]? dims, bool keepDim)
    {
        var ctx = ContextOf(x);
        var shape = x.Shape;
        var reduced = new bool[shape.Rank];
        if (dims is null || dims.Length == 0) Array.Fill(reduced, true);
        else
            foreach (var d in dims)
            {
                var a = d < 0 ? d + shape.Rank : d;
                if (a < 0 || a >= shape.Rank)
                    throw new ShapeException($"{name}: dim {d} is out of range for {shape} of rank {shape.Rank} (dims run from {-shape.Rank} to {shape.Rank - 1}).");
                if (reduced[a]) throw new ShapeException($"{name}: dim {d} is given twice for {shape}.");
                reduced[a] = true;
            }
        var kept = Shape.Of(shape.Dims.Select((n, i) => reduced[i] ? 1 : n));
        var outShape = keepDim ? kept : Shape.Of(shape.Dims.Where((_, i) => !reduced[i]));
        var y = Reduced(ctx, op, x.Value, reduced);
        var count = 1;
        for (var i = 0; i < shape.Rank; i++) if (reduced[i]) count *= shape[i];
        return Make(ctx, y.Reshape(outShape), [x], g =>
        {
            var spread = Expand(ctx, g.Reshape(kept), shape);
            switch (op)
            {
                case ReduceOp.Sum: return [spread];
                case ReduceOp.Mean: return [SeamCalls.Unary(ctx, UnaryOp.Scale, spread, 1f / count)];
                default:
                    var hit = SeamCalls.Output(ctx, shape);
                    ctx.Backend.Compare(CompareOp.Equal, x.Value.Storage, Expand(ctx, y.Reshape(kept), shape).Storage, hit.Storage);
                    var ties = Expand(ctx, Reduced(ctx, ReduceOp.Sum, hit, reduced).Reshape(kept), shape);
                    return [SeamCalls.Binary(ctx, BinaryOp.Multiply, hit, SeamCalls.Binary(ctx, BinaryOp.Divide, spread, ties))];
            }
        });
    }

    /// <summary>
    /// <paramref name="x"/> reduced over the flagged dims, in the order of the kept dims. One contiguous run of
    /// reduced dims is a single Outer × Axis × Inner reduction; otherwise the kept dims are gathered to the front first.
    /// </summary>
    internal static Tensor Reduced(ExecutionContext ctx, ReduceOp op, Tensor x, bool[] reduced)
    {
        var shape = x.Shape;
        int first = Array.IndexOf(reduced, true), last = Array.LastIndexOf(reduced, true);
        var keptCount = 1;
        for (var i = 0; i < shape.Rank; i++) if (!reduced[i]) keptCount *= shape[i];
        if (first < 0) return x.Reshape(Shape.Of(keptCount));
        AxisGeometry g;
        var source = x;
        if (Enumerable.Range(first, last - first + 1).All(i => reduced[i]))
        {
            int outer = 1, axis = 1, inner = 1;
            for (var i = 0; i < shape.Rank; i++)
                if (i < first) outer *= shape[i]; else if (i <= last) axis *= shape[i]; else inner *= shape[i];
            g = new AxisGeometry(outer, axis, inner);
        }
        else
        {
            var order = Enumerable.Range(0, shape.Rank).OrderBy(i => reduced[i] ? 1 : 0).ToArray();
            source = Permuted(ctx, x, order);
            g = new AxisGeometry(keptCount, shape.Count / Math.Max(1, keptCount), 1);
        }
        var y = SeamCalls.Output(ctx, Shape.Of(g.Outer * g.Inner));
        ctx.Backend.Reduce(op, g, source.Storage, false, y.Storage);
        return y;
    }
}
