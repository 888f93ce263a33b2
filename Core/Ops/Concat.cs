using System.Collections.Immutable;
using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>The gradient of each concatenated input, in input order.</summary>
public sealed record ConcatGradients(ImmutableArray<Tensor> Inputs);

/// <summary>
/// Concatenation along one dim (channels by default, for branch merges): every other dim must agree. The
/// backward slices dy back into the pieces. Both directions are strided block copies on the seam.
/// </summary>
public static class Concat
{
    /// <summary>The shape of the concatenation.</summary>
    /// <exception cref="ShapeException">No input, or inputs that differ outside the concatenated dim.</exception>
    public static Shape OutputShape(IReadOnlyList<Shape> inputs, int dim = 1, string? layer = null)
    {
        var where = LayerName.Of("Concat", layer);
        if (inputs.Count == 0) throw new ShapeException($"{where}: nothing to concatenate.");
        var first = inputs[0];
        var a = first.Axis(dim);
        var total = 0;
        foreach (var s in inputs)
        {
            var same = s.Rank == first.Rank;
            for (var i = 0; same && i < s.Rank; i++) same = i == a || s[i] == first[i];
            if (!same)
                throw new ShapeException($"{where}: inputs {string.Join(", ", inputs)} differ outside dim {a}; concatenation needs every other dim equal.");
            total += s[a];
        }
        return first.With(a, total);
    }

    /// <summary>The inputs side by side along <paramref name="dim"/>.</summary>
    public static Tensor Forward(ExecutionContext ctx, IReadOnlyList<Tensor> xs, int dim = 1, string? layer = null)
    {
        var shapes = xs.Select(x => x.Shape).ToArray();
        var y = SeamCalls.New(ctx, OutputShape(shapes, dim, layer));
        var g = AxisGeometry.Around(y.Shape, dim);
        var offset = 0;
        foreach (var x in xs)
        {
            var block = x.Shape[dim] * g.Inner;
            ctx.Backend.Copy(new CopyGeometry(g.Outer, block, 0, block, offset * g.Inner, g.Axis * g.Inner), x.Storage, y.Storage);
            offset += x.Shape[dim];
        }
        return y;
    }

    /// <summary>dy cut into one piece per input.</summary>
    public static ConcatGradients Backward(ExecutionContext ctx, IReadOnlyList<Shape> inputShapes, Tensor dy, int dim = 1, string? layer = null)
    {
        SeamCalls.CheckGradient(LayerName.Of("Concat", layer), dy, OutputShape(inputShapes, dim, layer));
        var g = AxisGeometry.Around(dy.Shape, dim);
        var pieces = ImmutableArray.CreateBuilder<Tensor>(inputShapes.Count);
        var offset = 0;
        foreach (var s in inputShapes)
        {
            var dx = SeamCalls.New(ctx, s);
            var block = s[dim] * g.Inner;
            ctx.Backend.Copy(new CopyGeometry(g.Outer, block, offset * g.Inner, g.Axis * g.Inner, 0, block), dy.Storage, dx.Storage);
            pieces.Add(dx);
            offset += s[dim];
        }
        return new ConcatGradients(pieces.MoveToImmutable());
    }
}
