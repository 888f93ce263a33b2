using Functional.Backends;
using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Functions;

public static partial class Fn
{
    /// <summary>
    /// The matrix product as PyTorch's <c>matmul</c>: the last two dims multiply (…×M×K by …×K×N gives …×M×N) and
    /// the leading (batch) dims broadcast; a 1-d operand is a row (left) or column (right) vector whose dim is
    /// dropped from the result. Runs as one batched GEMM on the seam; gradients dA = dY·Bᵀ and dB = Aᵀ·dY, summed
    /// over broadcast batch dims.
    /// </summary>
    /// <exception cref="ShapeException">The inner extents differ, an operand is a scalar, or the batch dims do not broadcast.</exception>
    public static Var Matmul(Var a, Var b)
    {
        if (a.Shape.Rank == 0 || b.Shape.Rank == 0)
            throw new ShapeException($"matmul: shapes {a.Shape} and {b.Shape}: both operands need at least one dim.");
        if (a.Shape.Rank == 1)
        {
            var row = Matmul(Reshape(a, 1, a.Shape[0]), b);
            return Reshape(row, Drop(row.Shape, -2));
        }
        if (b.Shape.Rank == 1)
        {
            var column = Matmul(a, Reshape(b, b.Shape[0], 1));
            return Reshape(column, Drop(column.Shape, -1));
        }
        var ctx = ContextOf(a, b);
        int m = a.Shape[-2], k = a.Shape[-1], n = b.Shape[-1];
        if (b.Shape[-2] != k)
            throw new ShapeException($"matmul: {a.Shape} times {b.Shape}: a has {k} columns but b has {b.Shape[-2]} rows; they must be equal.");
        var batch = BroadcastShape("matmul (batch dims)", Batch(a.Shape), Batch(b.Shape));
        var (ea, eb) = (Expand(ctx, a.Value, Join(batch, m, k)), Expand(ctx, b.Value, Join(batch, k, n)));
        var count = batch.Count;
        var y = SeamCalls.New(ctx, Join(batch, m, n));
        ctx.Backend.Gemm(new GemmGeometry(m, n, k, Batch: count, StrideA: m * k, StrideB: k * n, StrideC: m * n), ea.Storage, eb.Storage, y.Storage);
        return Make(ctx, y, [a, b], g =>
        {
            Tensor? da = null, db = null;
            if (a.Differentiable)
            {
                var full = SeamCalls.New(ctx, ea.Shape);
                ctx.Backend.Gemm(new GemmGeometry(m, k, n, TransB: true, Batch: count, StrideA: m * n, StrideB: k * n, StrideC: m * k), g.Storage, eb.Storage, full.Storage);
                da = SumTo(ctx, full, a.Shape);
            }
            if (b.Differentiable)
            {
                var full = SeamCalls.New(ctx, eb.Shape);
                ctx.Backend.Gemm(new GemmGeometry(k, n, m, TransA: true, Batch: count, StrideA: m * k, StrideB: m * n, StrideC: k * n), ea.Storage, g.Storage, full.Storage);
                db = SumTo(ctx, full, b.Shape);
            }
            return [da, db];
        }, (long)count * m * n * k);
    }

    private static Shape Batch(Shape s) => Shape.Of(s.Dims.Take(s.Rank - 2));

    private static Shape Join(Shape batch, int rows, int cols) => Shape.Of(batch.Dims.Append(rows).Append(cols));

    private static int[] Drop(Shape s, int dim) => s.Dims.Where((_, i) => i != s.Axis(dim)).ToArray();
}
