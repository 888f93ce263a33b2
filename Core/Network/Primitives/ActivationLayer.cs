using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>An element-wise activation (ReLU, LeakyReLU, Sigmoid, Tanh) as a layer: shape unchanged, no parameters.</summary>
public sealed record ActivationLayer(Activation Activation) : Primitive
{
    /// <inheritdoc />
    public override string Description => Activation.Op == Backends.UnaryOp.LeakyReLU ? $"LeakyReLU({Activation.Alpha})" : Activation.Name;

    /// <inheritdoc />
    protected override Shape Output(Shape input) => input;

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var y = Activation.Forward(pass.Context, x);
        return new(y, state, dy => new PullbackResult(Activation.Backward(pass.Context, x, y, dy), TensorTree.Empty));
    }
}
