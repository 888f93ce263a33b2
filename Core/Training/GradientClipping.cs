using Functional.Network;

namespace Functional.Training;

/// <summary>
/// Gradient-norm clipping as <c>torch.nn.utils.clip_grad_norm_</c>, but pure: the global L2 norm over every leaf
/// of the gradient tree, and when it exceeds the limit every gradient scaled by maxNorm/(norm + 10⁻⁶), which keeps
/// the direction and caps the length.
/// </summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all the tree's elements taken together.</summary>
    public static double GlobalNorm(TensorTree gradients) => Math.Sqrt(gradients.Sum(l => Updates.SumOfSquares(l.Value)));

    /// <summary>The gradients, scaled down if their global norm exceeds <paramref name="maxNorm"/>, and the norm
    /// they had before clipping (the tree itself is returned unchanged when no scaling is needed).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive.</exception>
    public static (TensorTree Gradients, double Norm) ClipByNorm(TensorTree gradients, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "GradientClipping: the maximum norm must be positive.");
        var norm = GlobalNorm(gradients);
        var scale = maxNorm / (norm + 1e-6);
        return scale < 1 ? (gradients.Map(g => Updates.Scale(g, (float)scale)), norm) : (gradients, norm);
    }
}
