namespace Functional.Network.Primitives;

/// <summary>N×C×H×W → N×(C·H·W), a view; what sits between the convolutional part and Dense layers.</summary>
public sealed record FlattenLayer : Primitive
{
    /// <inheritdoc />
    public override string Description => "Flatten";

    /// <inheritdoc />
    protected override Shape Output(Shape input) => Ops.Flatten.OutputShape(input);

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass) =>
        new(Ops.Flatten.Forward(pass.Context, x), state,
            dy => PullbackResult.For(pass, () => Ops.Flatten.Backward(pass.Context, x.Shape, dy), TensorTree.Empty));
}
