namespace Functional.Network.Primitives;

/// <summary>Softmax or log-softmax over the channel dim (dim 1, as <c>nn.Softmax(dim=1)</c>): probabilities per sample.</summary>
public sealed record SoftmaxLayer(bool Log = false) : Primitive
{
    /// <inheritdoc />
    public override string Description => Log ? "LogSoftmax" : "Softmax";

    /// <inheritdoc />
    protected override Shape Output(Shape input) => input.Rank >= 2
        ? input
        : throw new ShapeException($"input {input} has no class dim; {Description} normalises along dim 1 of N×K.");

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var ctx = pass.Context;
        var y = Log ? Ops.LogSoftmax.Forward(ctx, x, 1) : Ops.Softmax.Forward(ctx, x, 1);
        return new(y, state, dy => PullbackResult.For(pass,
            () => Log ? Ops.LogSoftmax.Backward(ctx, y, dy, 1) : Ops.Softmax.Backward(ctx, y, dy, 1), TensorTree.Empty));
    }
}
