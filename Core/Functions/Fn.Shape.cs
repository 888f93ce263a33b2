using Functional.Backends;
using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Functions;

public static partial class Fn
{
    /// <summary>The same elements viewed as <paramref name="dims"/> (one entry may be −1, inferred); nothing is copied.</summary>
    /// <exception cref="ShapeException">The element counts differ, or −1 is given twice or cannot be inferred.</exception>
    public static Var Reshape(Var x, params int[] dims)
    {
        var shape = Resolve(x.Shape, dims);
        return Make(ContextOf(x), x.Value.Reshape(shape), [x], g => [g.Reshape(x.Shape)]);
    }

    /// <summary>The dims reordered: dim i of the result is dim <paramref name="dims"/>[i] of x (PyTorch's permute).</summary>
    /// <exception cref="ShapeException"><paramref name="dims"/> is not a permutation of x's dims.</exception>
    public static Var Permute(Var x, params int[] dims)
    {
        var ctx = ContextOf(x);
        var order = Permutation(x.Shape, dims);
        var inverse = new int[order.Length];
        for (var i = 0; i < order.Length; i++) inverse[order[i]] = i;
        return Make(ctx, Permuted(ctx, x.Value, order), [x], g => [Permuted(ctx, g, inverse)]);
    }

    /// <summary>Dims <paramref name="a"/> and <paramref name="b"/> swapped.</summary>
    public static Var Transpose(Var x, int a, int b)
    {
        var order = Enumerable.Range(0, x.Shape.Rank).ToArray();
        var (i, j) = (x.Shape.Axis(a), x.Shape.Axis(b));
        (order[i], order[j]) = (order[j], order[i]);
        return Permute(x, order);
    }

    /// <summary>Elements <paramref name="start"/> to start + <paramref name="length"/> − 1 along <paramref name="dim"/>.</summary>
    /// <exception cref="ShapeException">The range leaves the dim.</exception>
    public static Var Slice(Var x, int dim, int start, int length)
    {
        var ctx = ContextOf(x);
        var shape = x.Shape;
        var d = shape.Axis(dim);
        if (start < 0 || length < 0 || start + length > shape[d])
            throw new ShapeException($"slice: elements {start} to {start + length - 1} of dim {dim} lie outside {shape}, whose dim {dim} has {shape[d]}.");
        var strides = shape.Strides();
        var dims = shape.Dims.ToArray();
        dims[d] = length;
        var y = Gather(ctx, x.Value, dims, strides, start * strides[d]);
        return Make(ctx, y, [x], g =>
        {
            var ax = AxisGeometry.Around(shape, d);
            var dx = SeamCalls.New(ctx, shape);
            ctx.Backend.Copy(new CopyGeometry(ax.Outer, length * ax.Inner, 0, length * ax.Inner, start * ax.Inner, ax.Axis * ax.Inner), g.Storage, dx.Storage);
            return [dx];
        });
    }

    /// <summary>The operands joined along <paramref name="dim"/>; every other dim must agree.</summary>
    /// <exception cref="ShapeException">No operands, or shapes that differ off <paramref name="dim"/>.</exception>
    public static Var Concat(int dim, params Var[] xs)
    {
        if (xs.Length == 0) throw new ShapeException("concat: no tensors given.");
        var ctx = ContextOf(xs);
        var shape = Concat(xs.Select(x => x.Shape).ToArray(), dim);
        var d = shape.Axis(dim);
        var y = SeamCalls.New(ctx, shape);
        var ax = AxisGeometry.Around(shape, d);
        var offset = 0;
        var offsets = new int[xs.Length];
        for (var i = 0; i < xs.Length; i++)
        {
            offsets[i] = offset;
            var block = xs[i].Shape[d] * ax.Inner;
            ctx.Backend.Copy(new CopyGeometry(ax.Outer, block, 0, block, offset * ax.Inner, ax.Axis * ax.Inner), xs[i].Value.Storage, y.Storage);
            offset += xs[i].Shape[d];
        }
        return Make(ctx, y, xs, g => xs.Select((x, i) => x.Differentiable ? Slice(Within(ctx, g), d, offsets[i], x.Shape[d]).Value : null).ToArray());
    }

    private static Shape Concat(Shape[] shapes, int dim)
    {
        var first = shapes[0];
        var d = first.Axis(dim);
        var total = 0;
        foreach (var s in shapes)
        {
            if (s.Rank != first.Rank || Enumerable.Range(0, s.Rank).Any(i => i != d && s[i] != first[i]))
                throw new ShapeException($"concat along dim {dim}: shapes {string.Join(", ", shapes.Select(x => x.ToString()))} differ off that dim; all other dims must agree.");
            total += s[d];
        }
        return first.With(d, total);
    }

    /// <summary><paramref name="x"/> with its dims reordered by <paramref name="order"/>, made contiguous.</summary>
    internal static Tensor Permuted(ExecutionContext ctx, Tensor x, int[] order)
    {
        if (order.Select((o, i) => o == i).All(b => b)) return x;
        var strides = x.Shape.Strides();
        return Gather(ctx, x, order.Select(o => x.Shape[o]).ToArray(), order.Select(o => strides[o]).ToArray(), 0);
    }

    private static int[] Permutation(Shape shape, int[] dims)
    {
        var order = dims.Select(d => d < 0 ? d + shape.Rank : d).ToArray();
        if (order.Length != shape.Rank || order.Any(o => o < 0 || o >= shape.Rank) || order.Distinct().Count() != order.Length)
            throw new ShapeException($"permute: [{string.Join(", ", dims)}] is not a permutation of the {shape.Rank} dims of {shape}.");
        return order;
    }

    private static Shape Resolve(Shape from, int[] dims)
    {
        var unknown = Array.IndexOf(dims, -1);
        if (dims.Count(d => d == -1) > 1 || dims.Any(d => d < -1))
            throw new ShapeException($"reshape: [{string.Join(", ", dims)}] may hold one −1 and otherwise non-negative extents.");
        if (unknown >= 0)
        {
            var known = dims.Where(d => d != -1).Aggregate(1, (p, d) => p * d);
            if (known == 0 || from.Count % known != 0)
                throw new ShapeException($"reshape: {from} ({from.Count} elements) cannot be viewed as [{string.Join(", ", dims)}]: {from.Count} is not a multiple of {known}.");
            dims = (int[])dims.Clone();
            dims[unknown] = from.Count / known;
        }
        var shape = Shape.Of(dims);
        return shape.Count == from.Count ? shape
            : throw new ShapeException($"reshape: cannot view {from} ({from.Count} elements) as {shape} ({shape.Count} elements).");
    }
}
