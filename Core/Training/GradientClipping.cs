using Functional.Network;

namespace Functional.Training;

/// <summary>
/// Gradient-norm clipping as <c>torch.nn.utils.clip_grad_norm_</c>, but pure: the global L2 norm over every leaf
/// of the gradient tree, and when it exceeds the limit every gradient scaled by maxNorm/(norm + 10⁻⁶), which keeps
/// the direction and caps the length. The sums and the scaling run where the gradients live (on a device backend,
/// <see cref="Clip"/> never brings a value to the host).
/// </summary>
public static class GradientClipping
{
    /// <summary>The L2 norm of all the tree's elements taken together.</summary>
    public static double GlobalNorm(TensorTree gradients)
    {
        if (gradients.Count == 0) return 0;
        var stats = Updates.SquaresAndFlags(Updates.BackendOf(gradients[0].Value), gradients.Select(l => l.Value).ToArray()).Span;
        var sum = 0.0;
        for (var i = 0; i < stats.Length; i += 2) sum += stats[i];
        return Math.Sqrt(sum);
    }

    /// <summary>The gradients, scaled down if their global norm exceeds <paramref name="maxNorm"/>, and the norm
    /// they had before clipping (the tree itself is returned unchanged when no scaling is needed).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive.</exception>
    public static (TensorTree Gradients, double Norm) ClipByNorm(TensorTree gradients, double maxNorm)
    {
        CheckMax(maxNorm);
        var norm = GlobalNorm(gradients);
        var scale = maxNorm / (norm + 1e-6);
        return scale < 1 ? (Clip(gradients, maxNorm), norm) : (gradients, norm);
    }

    /// <summary>
    /// The gradients scaled by min(1, maxNorm/(norm + 10⁻⁶)), computed and applied on the gradients' backend: what the
    /// training loop uses, since it needs neither the norm nor a decision on the host.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive.</exception>
    public static TensorTree Clip(TensorTree gradients, double maxNorm)
    {
        CheckMax(maxNorm);
        if (gradients.Count == 0) return gradients;
        var backend = Updates.BackendOf(gradients[0].Value);
        var stats = Updates.SquaresAndFlags(backend, gradients.Select(l => l.Value).ToArray());
        var scale = new Tensor(Shape.Of(1), backend.AllocateUninitialized(1));
        backend.ClipScale(maxNorm, stats.Storage, scale.Storage);
        return gradients.Map(g => Updates.Scale(backend, g, scale));
    }

    private static void CheckMax(double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "GradientClipping: the maximum norm must be positive.");
    }
}
