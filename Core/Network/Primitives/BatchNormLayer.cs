using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>
/// Batch normalisation per channel (PyTorch's BatchNorm1d/2d/3d by input rank): parameters <c>weight</c> (γ, 1)
/// and <c>bias</c> (β, 0); state <c>running_mean</c> (0) and <c>running_var</c> (1). Training passes normalise with
/// batch statistics and return the updated running statistics as the new state; inference uses the state.
/// </summary>
public sealed record BatchNormLayer(float Momentum = BatchNorm.DefaultMomentum, float Eps = BatchNorm.DefaultEps) : Primitive
{
    /// <inheritdoc />
    public override string Description => Momentum == BatchNorm.DefaultMomentum && Eps == BatchNorm.DefaultEps
        ? "BatchNorm" : $"BatchNorm(momentum {Momentum}, eps {Eps})";

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        if (input.Rank is < 2 or > 5)
            throw new ShapeException($"input {input} must be N×C, N×C×L, N×C×H×W or N×C×D×H×W for batch norm.");
        return input;
    }

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input) =>
        [ParameterSpec.Constant("weight", Shape.Of(input[1]), 1f), ParameterSpec.Constant("bias", Shape.Of(input[1]), 0f)];

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> StateSpecs(Shape input) =>
        [ParameterSpec.Constant("running_mean", Shape.Of(input[1]), 0f), ParameterSpec.Constant("running_var", Shape.Of(input[1]), 1f)];

    /// <summary>One scale and one shift per element (as torchinfo counts it, 2 per value).</summary>
    public override long MultAdds(Shape input, Shape output) => 2L * input.WithoutBatch().Count;

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass) =>
        Apply(x, parameters, state, pass, relu: false);

    /// <summary>True when <paramref name="next"/> is a plain ReLU, which a chain then runs inside this layer.</summary>
    internal static bool FusesWith(Layer next) => next is ActivationLayer { Activation.Op: Backends.UnaryOp.ReLU };

    /// <summary>
    /// This layer and the ReLU after it in one pass (<see cref="BatchNorm.ForwardReLU"/>): the output, the state and
    /// the gradients are the two layers' bits, without the batch norm's output as a tensor of its own.
    /// </summary>
    internal LayerOutput RunWithReLU(Tensor x, TensorTree parameters, TensorTree state, Pass pass, Site site) =>
        site.Locate(Description, () => Apply(x, parameters, state, pass, relu: true));

    private LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass, bool relu)
    {
        var gamma = parameters["weight"];
        var running = new BatchNormState(state["running_mean"], state["running_var"]);
        var forward = relu
            ? BatchNorm.ForwardReLU(pass.Context, x, gamma, parameters["bias"], running, pass.Training, Momentum, Eps)
            : BatchNorm.Forward(pass.Context, x, gamma, parameters["bias"], running, pass.Training, Momentum, Eps);
        var next = pass.Training ? TensorTree.Of(("running_mean", forward.State.RunningMean), ("running_var", forward.State.RunningVar)) : state;
        var (saved, output) = (forward.Saved, relu ? forward.Output : null);
        return new(forward.Output, next, dy =>
        {
            // The seam's batch-norm backward is one fused kernel that always writes dx; it is dropped when unwanted.
            var g = output is null ? BatchNorm.Backward(pass.Context, saved, gamma, dy) : BatchNorm.BackwardReLU(pass.Context, saved, output, gamma, dy);
            return PullbackResult.For(pass, () => g.Input, TensorTree.Of(("weight", g.Gamma), ("bias", g.Beta)));
        });
    }
}
