using Functional.Backends;
using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Functions;

public static partial class Fn
{
    /// <summary>a + b, broadcasting as PyTorch.</summary>
    /// <exception cref="ShapeException">The shapes do not broadcast; the message names the op, both shapes and the clashing dim.</exception>
    public static Var Add(Var a, Var b) => Zip("add", BinaryOp.Add, a, b);

    /// <summary>a − b, broadcasting as PyTorch.</summary>
    public static Var Sub(Var a, Var b) => Zip("sub", BinaryOp.Subtract, a, b);

    /// <summary>a · b element-wise, broadcasting as PyTorch.</summary>
    public static Var Mul(Var a, Var b) => Zip("mul", BinaryOp.Multiply, a, b);

    /// <summary>a / b element-wise, broadcasting as PyTorch (x/0 is ±∞ or NaN, as IEEE and PyTorch).</summary>
    public static Var Div(Var a, Var b) => Zip("div", BinaryOp.Divide, a, b);

    /// <summary>
    /// a where <paramref name="condition"/> is non-zero, else b; all three broadcast together. The condition is
    /// not differentiated; a's gradient flows where it was chosen and b's elsewhere.
    /// </summary>
    public static Var Where(Var condition, Var a, Var b)
    {
        var ctx = ContextOf(a, b, condition);
        var shape = BroadcastShape("where", BroadcastShape("where", condition.Shape, a.Shape), b.Shape);
        var (c, ea, eb) = (Expand(ctx, condition.Value, shape), Expand(ctx, a.Value, shape), Expand(ctx, b.Value, shape));
        var y = SeamCalls.Output(ctx, shape);
        ctx.Backend.Where(c.Storage, ea.Storage, eb.Storage, y.Storage);
        return Make(ctx, y, [a, b], g =>
        {
            var zero = SeamCalls.New(ctx, shape);
            return [a.Differentiable ? SumTo(ctx, Select(ctx, c, g, zero), a.Shape) : null,
                    b.Differentiable ? SumTo(ctx, Select(ctx, c, zero, g), b.Shape) : null];
        });
    }

    /// <summary>1 where a = b, else 0 (broadcasting); a constant.</summary>
    public static Var Equal(Var a, Var b) => Comparison("eq", CompareOp.Equal, a, b);

    /// <summary>1 where a &gt; b, else 0 (broadcasting); a constant.</summary>
    public static Var Greater(Var a, Var b) => Comparison("gt", CompareOp.Greater, a, b);

    /// <summary>
    /// The shape two operands broadcast to, by PyTorch's rule: align the trailing dims; each pair must be equal or
    /// contain a 1, which stretches.
    /// </summary>
    /// <exception cref="ShapeException">Some pair differs and neither is 1.</exception>
    public static Shape BroadcastShape(string op, Shape a, Shape b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (var i = 1; i <= rank; i++)
        {
            int da = i <= a.Rank ? a[a.Rank - i] : 1, db = i <= b.Rank ? b[b.Rank - i] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ShapeException($"{op}: shapes {a} and {b} do not broadcast: dim {-i} (counting from the end) is {da} against {db}; " +
                    "aligned from the last dim, each pair must be equal or one of them 1.");
            dims[rank - i] = da == 1 ? db : da;
        }
        return Shape.Of(dims);
    }

    private static Var Zip(string name, BinaryOp op, Var a, Var b)
    {
        var ctx = ContextOf(a, b);
        var shape = BroadcastShape(name, a.Shape, b.Shape);
        var (ea, eb) = (Expand(ctx, a.Value, shape), Expand(ctx, b.Value, shape));
        var y = SeamCalls.Binary(ctx, op, ea, eb);
        return Make(ctx, y, [a, b], g =>
        {
            Tensor? da = null, db = null;
            switch (op)
            {
                case BinaryOp.Add:
                    (da, db) = (g, g);
                    break;
                case BinaryOp.Subtract:
                    (da, db) = (g, b.Differentiable ? SeamCalls.Unary(ctx, UnaryOp.Negate, g) : null);
                    break;
                case BinaryOp.Multiply:
                    if (a.Differentiable) da = SeamCalls.Binary(ctx, BinaryOp.Multiply, g, eb);
                    if (b.Differentiable) db = SeamCalls.Binary(ctx, BinaryOp.Multiply, g, ea);
                    break;
                default:
                    // d(a/b)/db = −(a/b)/b = −y/b.
                    if (a.Differentiable) da = SeamCalls.Binary(ctx, BinaryOp.Divide, g, eb);
                    if (b.Differentiable)
                        db = SeamCalls.Unary(ctx, UnaryOp.Negate, SeamCalls.Binary(ctx, BinaryOp.Divide, SeamCalls.Binary(ctx, BinaryOp.Multiply, g, y), eb));
                    break;
            }
            return [a.Differentiable ? SumTo(ctx, da!, a.Shape) : null, b.Differentiable ? SumTo(ctx, db!, b.Shape) : null];
        });
    }

    private static Var Comparison(string name, CompareOp op, Var a, Var b)
    {
        var ctx = ContextOf(a, b);
        var shape = BroadcastShape(name, a.Shape, b.Shape);
        var y = SeamCalls.Output(ctx, shape);
        ctx.Backend.Compare(op, Expand(ctx, a.Value, shape).Storage, Expand(ctx, b.Value, shape).Storage, y.Storage);
        return new Var(y, ctx, false, [], null, 0);
    }

    private static Tensor Select(ExecutionContext ctx, Tensor c, Tensor a, Tensor b)
    {
        var y = SeamCalls.Output(ctx, a.Shape);
        ctx.Backend.Where(c.Storage, a.Storage, b.Storage, y.Storage);
        return y;
    }

    /// <summary><paramref name="x"/> repeated along its stretched dims to <paramref name="shape"/> (itself when equal).</summary>
    internal static Tensor Expand(ExecutionContext ctx, Tensor x, Shape shape)
    {
        if (x.Shape == shape) return x;
        var strides = new int[shape.Rank];
        var own = x.Shape.Strides();
        for (var i = 1; i <= x.Shape.Rank; i++)
            strides[shape.Rank - i] = x.Shape[x.Shape.Rank - i] == 1 ? 0 : own[x.Shape.Rank - i];
        return Gather(ctx, x, shape.Dims.AsSpan(), strides, 0);
    }

    /// <summary>A broadcast result's gradient summed back to the operand's <paramref name="shape"/>.</summary>
    internal static Tensor SumTo(ExecutionContext ctx, Tensor g, Shape shape)
    {
        if (g.Shape == shape) return g;
        var lead = g.Shape.Rank - shape.Rank;
        var reduced = new bool[g.Shape.Rank];
        for (var i = 0; i < g.Shape.Rank; i++)
            reduced[i] = i < lead || (shape[i - lead] == 1 && g.Shape[i] != 1);
        return Reduced(ctx, ReduceOp.Sum, g, reduced).Reshape(shape);
    }

    /// <summary>A gather of <paramref name="x"/> with explicit extents, strides and offset (rank ≤ 6).</summary>
    /// <exception cref="ShapeException">The view has more than six dims.</exception>
    internal static Tensor Gather(ExecutionContext ctx, Tensor x, ReadOnlySpan<int> dims, ReadOnlySpan<int> strides, int offset)
    {
        if (dims.Length > Dims6.Rank)
            throw new ShapeException($"A tensor function views {x.Shape} with {dims.Length} dims; the seam's gather takes at most {Dims6.Rank}.");
        var y = SeamCalls.Output(ctx, Shape.Of(dims.ToArray()));
        ctx.Backend.Gather(new GatherGeometry(Dims6.Right(dims, 1), Dims6.Right(strides, 0), offset), x.Storage, y.Storage);
        return y;
    }
}
