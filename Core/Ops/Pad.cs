using Functional.Backends;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Ops;

/// <summary>
/// Explicit padding of the last 1 to 3 dims of a tensor, filled by a <see cref="PaddingMode"/>; every leading dim
/// (batch, channels) is a separate plane. Convs with a non-zero padding mode run this first.
/// </summary>
public static class Pad
{
    /// <summary>The padded shape: each of the last before.Length dims grows by before + after.</summary>
    /// <exception cref="ShapeException">Mismatched lists, negative amounts, or padding the mode cannot fold.</exception>
    public static PadGeometry Geometry(Shape input, IReadOnlyList<int> before, IReadOnlyList<int> after, PaddingMode mode, string? layer = null)
    {
        var where = layer is null ? "Pad" : $"Pad '{layer}'";
        var rank = before.Count;
        if (rank is < 1 or > 3 || after.Count != rank || input.Rank < rank)
            throw new ShapeException($"{where}: padding ({string.Join(", ", before)}) before and ({string.Join(", ", after)}) after must list the same 1 to 3 trailing dims of input {input}.");
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"{where}: unknown padding mode {(int)mode}; use zeros, reflect, replicate or circular.");
        var lead = input.Rank - rank;
        int[] inDims = new int[rank], outDims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var (n, b, a) = (input[lead + i], before[i], after[i]);
            if (b < 0 || a < 0) throw new ShapeException($"{where}: padding {b} before and {a} after dim {lead + i} must be ≥ 0.");
            if (mode == PaddingMode.Reflect && Math.Max(b, a) >= n)
                throw new ShapeException($"{where}: reflect padding {Math.Max(b, a)} along dim {lead + i} must be smaller than its extent {n}.");
            if (mode == PaddingMode.Circular && Math.Max(b, a) > n)
                throw new ShapeException($"{where}: circular padding {Math.Max(b, a)} along dim {lead + i} must be at most its extent {n}.");
            var padded = (long)n + b + a;
            if (padded > int.MaxValue)
                throw new ShapeException($"{where}: dim {lead + i} padded would be {n}+{b}+{a} = {padded}, more than the {int.MaxValue:N0} elements a dimension can hold.");
            (inDims[i], outDims[i]) = (n, (int)padded);
        }
        var planes = 1;
        for (var i = 0; i < lead; i++) planes *= input[i];
        return new PadGeometry(planes, Dims3.FromSpatial(inDims), Dims3.FromSpatial(before.ToArray(), 0), Dims3.FromSpatial(outDims));
    }

    /// <summary>y = x with its last dims padded by <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static Tensor Forward(ExecutionContext ctx, Tensor x, IReadOnlyList<int> before, IReadOnlyList<int> after, PaddingMode mode, string? layer = null)
    {
        var g = Geometry(x.Shape, before, after, mode, layer);
        return new Tensor(PaddedShape(x.Shape, g, before.Count), Apply(ctx, g, mode, x.Storage));
    }

    /// <summary>dx: each padded element's gradient flows back to the input element it copied (zeros drop theirs).</summary>
    public static Tensor Backward(ExecutionContext ctx, Tensor x, IReadOnlyList<int> before, IReadOnlyList<int> after, PaddingMode mode, Tensor dy, string? layer = null)
    {
        var g = Geometry(x.Shape, before, after, mode, layer);
        var expected = PaddedShape(x.Shape, g, before.Count);
        if (dy.Shape != expected)
            throw new ShapeException($"{(layer is null ? "Pad" : $"Pad '{layer}'")}: upstream gradient {dy.Shape} should have the output shape {expected}.");
        return new Tensor(x.Shape, ApplyBackward(ctx, g, mode, dy.Storage));
    }

    internal static TensorStorage Apply(ExecutionContext ctx, in PadGeometry g, PaddingMode mode, TensorStorage x)
    {
        var y = ctx.Backend.Allocate(g.Planes * g.Output.Product);
        ctx.Backend.Pad(g, mode, x, y);
        return y;
    }

    internal static TensorStorage ApplyBackward(ExecutionContext ctx, in PadGeometry g, PaddingMode mode, TensorStorage dy)
    {
        var dx = ctx.Backend.Allocate(g.Planes * g.Input.Product);
        ctx.Backend.PadBackward(g, mode, dy, dx);
        return dx;
    }

    private static Shape PaddedShape(Shape input, in PadGeometry g, int rank)
    {
        var dims = input.Dims.ToArray();
        var spatial = g.Output.Spatial(rank);
        for (var i = 0; i < rank; i++) dims[input.Rank - rank + i] = spatial[i];
        return Shape.Of(dims);
    }
}
