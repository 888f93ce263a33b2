using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>
/// Adaptive average pooling to a fixed output size, whatever the input size: output index o along a dim averages
/// input positions ⌊o·In/Out⌋ to ⌈(o+1)·In/Out⌉ − 1 (PyTorch's rule; windows may overlap or differ in size).
/// </summary>
public static class AdaptiveAvgPool
{
    /// <summary>N×C followed by the output size, for an N×C×i… input.</summary>
    public static Shape OutputShape(Shape input, IReadOnlyList<int> outputSize, string? layer = null)
    {
        var g = Geometry(input, outputSize, Where(input, layer));
        return PoolSpec.OutputShapeOf(input, g);
    }

    /// <summary>The adaptive averages.</summary>
    /// <param name="outputSize">One size for every spatial dim, or one per dim; the spatial rank is the input's rank − 2.</param>
    public static Tensor Forward(ExecutionContext ctx, Tensor x, IReadOnlyList<int> outputSize, string? layer = null) =>
        Run(ctx, x, outputSize, Where(x.Shape, layer));

    /// <summary>dx: each dy spread as dy/n over the n input elements of its window.</summary>
    public static Tensor Backward(ExecutionContext ctx, Shape inputShape, IReadOnlyList<int> outputSize, Tensor dy, string? layer = null) =>
        RunBackward(ctx, inputShape, outputSize, dy, Where(inputShape, layer));

    internal static Tensor Run(ExecutionContext ctx, Tensor x, IReadOnlyList<int> outputSize, string where)
    {
        var g = Geometry(x.Shape, outputSize, where);
        var y = SeamCalls.New(ctx, PoolSpec.OutputShapeOf(x.Shape, g));
        ctx.Backend.PoolForward(g, x.Storage, y.Storage, null);
        return y;
    }

    internal static Tensor RunBackward(ExecutionContext ctx, Shape inputShape, IReadOnlyList<int> outputSize, Tensor dy, string where)
    {
        var g = Geometry(inputShape, outputSize, where);
        SeamCalls.CheckGradient(where, dy, PoolSpec.OutputShapeOf(inputShape, g));
        var dx = SeamCalls.New(ctx, inputShape);
        ctx.Backend.PoolBackward(g, dy.Storage, null, dx.Storage);
        return dx;
    }

    internal static PoolGeometry Geometry(Shape input, IReadOnlyList<int> outputSize, string where)
    {
        var rank = input.Rank - 2;
        if (rank is < 1 or > 3)
            throw new ShapeException($"{where}: input {input} must be N×C followed by 1 to 3 spatial dims.");
        if (outputSize.Count != 1 && outputSize.Count != rank)
            throw new ShapeException($"{where}: output size has {outputSize.Count} values ({string.Join(", ", outputSize)}) but the input has {rank} spatial dims.");
        var output = new int[rank];
        for (var d = 0; d < rank; d++)
        {
            output[d] = outputSize.Count == 1 ? outputSize[0] : outputSize[d];
            if (output[d] < 1)
                throw new ShapeException($"{where}: output size {output[d]} along {PoolSpec.DimNames(rank)[d]} must be ≥ 1.");
            if (input[2 + d] < 1)
                throw new ShapeException($"{where}: input {input} is empty along {PoolSpec.DimNames(rank)[d]}.");
        }
        var one = Dims3.All(1);
        return new PoolGeometry(rank, PoolKind.AdaptiveAverage, input[0] * input[1], Dims3.FromSpatial(PoolSpec.Spatial(input)),
            one, one, one, Dims3.All(0), Dims3.FromSpatial(output), false);
    }

    private static string Where(Shape input, string? layer) => LayerName.Of($"AdaptiveAvgPool{Math.Clamp(input.Rank - 2, 1, 3)}d", layer);
}
