using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>
/// Inverted dropout with drop probability <see cref="P"/>: active in training passes only, with a mask drawn from
/// the pass's key (so the same key drops the same elements); the identity at inference.
/// </summary>
public sealed record DropoutLayer(float P) : Primitive
{
    /// <inheritdoc />
    public override string Description => $"Dropout({P})";

    /// <inheritdoc />
    protected override Shape Output(Shape input) => P is >= 0f and <= 1f
        ? input
        : throw new ShapeException($"Dropout: the drop probability {P} must be in [0, 1].");

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var forward = Ops.Dropout.Forward(pass.Context, x, P, pass.Key, pass.Training);
        return new(forward.Output, state, dy => PullbackResult.For(pass, () => Ops.Dropout.Backward(pass.Context, forward, dy), TensorTree.Empty));
    }
}
