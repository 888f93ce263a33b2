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

    /// <summary>The pass child <paramref name="index"/> runs with: the same settings and an independent key.</summary>
    public Pass ForChild(int index) => this with { Key = Key.Split(index) };
}

/// <summary>What a pullback returns: the gradient with respect to the layer's input, and the gradient tree of its
/// parameters (the same paths as its parameter tree; empty for a parameterless layer).</summary>
public sealed record PullbackResult(Tensor Input, TensorTree Gradients);

/// <summary>
/// The backward of one forward pass: from the gradient of the loss with respect to the output, the gradients
/// with respect to the input and the parameters. It captures what the forward computed and mutates nothing, so
/// calling it twice gives the same result (except after a <see cref="Pass.SingleUse"/> pass, whose pullback may
/// be called only once).
/// </summary>
public delegate PullbackResult Pullback(Tensor outputGradient);

/// <summary>A layer's forward pass: its output, its new state tree (unchanged outside training) and its pullback.</summary>
public sealed record LayerOutput(Tensor Output, TensorTree State, Pullback Pullback);
