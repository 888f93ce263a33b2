using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>
/// Adaptive average pooling to a fixed spatial size whatever the input's (PyTorch's AdaptiveAvgPool); with
/// <see cref="Global"/>, the mean of each channel (N×C×1×1, size 1 along every dim).
/// </summary>
public sealed record AdaptivePoolLayer(PerDim Size, bool Global = false) : Primitive
{
    /// <inheritdoc />
    public override string Description => Global ? "GlobalAvgPool" : $"AdaptiveAvgPool({Size})";

    /// <inheritdoc />
    public override bool SeesWholeInput => Global;

    /// <inheritdoc />
    protected override Shape Output(Shape input) => Global ? GlobalAvgPool.OutputShape(input) : AdaptiveAvgPool.OutputShape(input, Size.Values);

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var ctx = pass.Context;
        var y = Global ? GlobalAvgPool.Forward(ctx, x) : AdaptiveAvgPool.Forward(ctx, x, Size.Values);
        return new(y, state, dy => PullbackResult.For(pass,
            () => Global ? GlobalAvgPool.Backward(ctx, x.Shape, dy) : AdaptiveAvgPool.Backward(ctx, x.Shape, Size.Values, dy), TensorTree.Empty));
    }
}
