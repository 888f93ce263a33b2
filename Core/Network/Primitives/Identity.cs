namespace Functional.Network.Primitives;

/// <summary>y = x: the unit of <see cref="Layer.Then"/> (a chain drops it), and a residual's do-nothing block.</summary>
public sealed record Identity : Primitive
{
    /// <inheritdoc />
    public override string Description => "Identity";

    /// <inheritdoc />
    protected override Shape Output(Shape input) => input;

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass) =>
        new(x, state, dy => PullbackResult.For(pass, () => dy, TensorTree.Empty));
}
