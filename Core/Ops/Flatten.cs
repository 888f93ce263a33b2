using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Ops;

/// <summary>
/// N×C×H×W (or any N×…) to N×(C·H·W), as a view: the data is already row-major, so nothing is copied and the
/// backward is the reverse reshape.
/// </summary>
public static class Flatten
{
    /// <summary>N × (product of the other dims).</summary>
    /// <exception cref="ShapeException">The input has no dims after the batch.</exception>
    public static Shape OutputShape(Shape input, string? layer = null)
    {
        if (input.Rank < 2)
            throw new ShapeException($"{LayerName.Of("Flatten", layer)}: input {input} has rank {input.Rank}; flatten keeps the batch dim and needs at least one more.");
        return Shape.Of(input[0], FeatureCount(input));
    }

    /// <summary>The flattened view; <paramref name="ctx"/> is unused, as no kernel runs.</summary>
    public static Tensor Forward(ExecutionContext ctx, Tensor x, string? layer = null) => x.Reshape(OutputShape(x.Shape, layer));

    /// <summary>dy viewed with the input's shape.</summary>
    public static Tensor Backward(ExecutionContext ctx, Shape inputShape, Tensor dy, string? layer = null)
    {
        SeamCalls.CheckGradient(LayerName.Of("Flatten", layer), dy, OutputShape(inputShape, layer));
        return dy.Reshape(inputShape);
    }

    private static int FeatureCount(Shape s)
    {
        var f = 1;
        for (var i = 1; i < s.Rank; i++) f *= s[i];
        return f;
    }
}
