using Functional.Random;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Network;

/// <summary>
/// The settings of one forward pass: where it runs, whether it trains (batch statistics, dropout) and the key
/// that drives its randomness. Combinators hand each child its own key split from this one, so dropout masks
/// depend only on the key and the layer's position.
/// </summary>
public sealed record Pass(ExecutionContext Context, bool Training, Key Key)
{
    /// <summary>
    /// Whether the pass's pullback is called exactly once (a training step's). Combinators then drop each child's
    /// pullback as soon as it has run, so the activations it captured can be collected while the backward goes on.
    /// </summary>
    public bool SingleUse { get; init; }

    /// <summary>
    /// Whether the pullback must return the gradient with respect to the layer's input (true unless said
    /// otherwise). A training step sets it to false for the whole network, because the data needs no gradient:
    /// the first conv then computes only its weight gradient, and a parameterless prefix (Pad, ReLU, Flatten) is
    /// not differentiated at all. When it is false the pullback returns <see cref="PullbackResult.ParametersOnly"/>.
    /// </summary>
    public bool InputGradient { get; init; } = true;

    /// <summary>
    /// The pass child <paramref name="index"/> runs with: the same settings, an independent key, and its input
    /// gradient wanted. A combinator passes <paramref name="inputGradient"/> false only to a child whose input
    /// gradient nothing reads (wanting too much costs time; wanting too little would lose a gradient).
    /// </summary>
    public Pass ForChild(int index, bool inputGradient = true) => this with { Key = Key.Split(index), InputGradient = inputGradient };
}

/// <summary>What a pullback returns: the gradient with respect to the layer's input (unless the pass did not want
/// it), and the gradient tree of its parameters (the same paths as its parameter tree; empty for a parameterless
/// layer).</summary>
public sealed class PullbackResult
{
    private readonly Tensor? _input;

    /// <summary>Both gradients.</summary>
    public PullbackResult(Tensor input, TensorTree gradients)
    {
        _input = input;
        Gradients = gradients;
    }

    private PullbackResult(TensorTree gradients) => Gradients = gradients;

    /// <summary>The parameters' gradients alone, from a pullback whose <see cref="Pass.InputGradient"/> was false.</summary>
    public static PullbackResult ParametersOnly(TensorTree gradients) => new(gradients);

    /// <summary>Whether the input gradient was computed (always, unless the pass set <see cref="Pass.InputGradient"/> false).</summary>
    public bool HasInput => _input is not null;

    /// <summary>The gradient of the loss with respect to the layer's input.</summary>
    /// <exception cref="InvalidOperationException">It was not computed: the forward pass did not want it.</exception>
    public Tensor Input => _input ?? throw new InvalidOperationException(
        "The input gradient was not computed: the forward pass set Pass.InputGradient to false (as a training step does, " +
        "since the data needs no gradient). Run the forward with InputGradient true (Model.Forward does) to get it.");

    /// <summary>The parameters' gradients, by path.</summary>
    public TensorTree Gradients { get; }

    /// <summary><see cref="Input"/> when the pass wanted it, otherwise the parameters' gradients alone.</summary>
    internal static PullbackResult For(Pass pass, Func<Tensor> input, TensorTree gradients) =>
        pass.InputGradient ? new PullbackResult(input(), gradients) : new PullbackResult(gradients);
}

/// <summary>
/// The backward of one forward pass: from the gradient of the loss with respect to the output, the gradients
/// with respect to the input and the parameters. It captures what the forward computed and mutates nothing, so
/// calling it twice gives the same result (except after a <see cref="Pass.SingleUse"/> pass, whose pullback may
/// be called only once).
/// </summary>
public delegate PullbackResult Pullback(Tensor outputGradient);

/// <summary>A layer's forward pass: its output, its new state tree (unchanged outside training) and its pullback.</summary>
public sealed record LayerOutput(Tensor Output, TensorTree State, Pullback Pullback);
