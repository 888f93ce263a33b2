namespace Functional.Ops;

/// <summary>
/// Batch norm's running statistics, one value per channel: an explicit state value that training-mode forward
/// passes return updated (never mutated in place), and that inference mode normalises with.
/// </summary>
public sealed record BatchNormState(Tensor RunningMean, Tensor RunningVar)
{
    /// <summary>PyTorch's initial statistics: mean 0 and variance 1 for each of <paramref name="channels"/>.</summary>
    public static BatchNormState Initial(int channels) =>
        new(Tensor.Zeros(Shape.Of(channels)), Tensor.Ones(Shape.Of(channels)));

    /// <summary>Number of channels.</summary>
    public int Channels => RunningMean.Count;
}

/// <summary>A batch norm forward: the output, the new state, and what the backward recomputes x̂ from.</summary>
/// <param name="Input">The normalised input x (x̂ = (x − μ)/√(var + eps) is recomputed from it, not stored).</param>
/// <param name="Mean">μ per channel: the batch mean in training mode, the running mean otherwise.</param>
/// <param name="Variance">The biased batch variance per channel in training mode, the running variance otherwise.</param>
/// <param name="Eps">The eps added to the variance.</param>
/// <param name="Training">Whether batch statistics were used (and so whether dx flows through μ and σ).</param>
public sealed record BatchNormResult(Tensor Output, BatchNormState State, Tensor Input, Tensor Mean, Tensor Variance, float Eps, bool Training);

/// <summary>Gradients of batch norm with respect to its input, scale γ and shift β.</summary>
public sealed record BatchNormGradients(Tensor Input, Tensor Gamma, Tensor Beta);
