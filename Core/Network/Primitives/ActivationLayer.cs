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
        // ReLU's y ≤ 0 exactly where x ≤ 0 (and y is NaN where x is), so its pullback keeps only y and x can be
        // freed after the forward.
        var input = Activation.Op == Backends.UnaryOp.ReLU ? y : x;
        return new(y, state, dy => PullbackResult.For(pass, () => Activation.Backward(pass.Context, input, y, dy), TensorTree.Empty));
    }
}
