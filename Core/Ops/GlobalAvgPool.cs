using ExecutionContext = Functional.Backends.ExecutionContext;
namespace Functional.Ops;

/// <summary>
/// Global average pooling: each channel's mean over all spatial positions, so N×C×H×W becomes N×C×1×1 (the
/// adaptive average to size 1; ∂y/∂x = 1/(H·W) everywhere).
/// </summary>
public static class GlobalAvgPool
{
    /// <summary>N×C×1… for an N×C×i… input.</summary>
    public static Shape OutputShape(Shape input, string? layer = null) =>
        PoolSpec.OutputShapeOf(input, AdaptiveAvgPool.Geometry(input, [1], Where(layer)));

    /// <summary>The per-channel means, keeping unit spatial dims.</summary>
    public static Tensor Forward(ExecutionContext ctx, Tensor x, string? layer = null) =>
        AdaptiveAvgPool.Run(ctx, x, [1], Where(layer));

    /// <summary>dx = dy/(H·W) at every position of its channel.</summary>
    public static Tensor Backward(ExecutionContext ctx, Shape inputShape, Tensor dy, string? layer = null) =>
        AdaptiveAvgPool.RunBackward(ctx, inputShape, [1], dy, Where(layer));

    private static string Where(string? layer) => LayerName.Of("GlobalAvgPool", layer);
}
