namespace Functional.Backends;

/// <summary>
/// One SGD step's scalars, rounded to float32 once from the double hyper-parameters (as PyTorch does) so that every
/// backend computes with the same values. The buffer rule follows <c>torch.optim.SGD</c>: on the first step the
/// momentum buffer is the (decayed) gradient itself.
/// </summary>
public readonly record struct SgdStep(float LearningRate, float Momentum, float Undamped, float WeightDecay, bool Nesterov)
{
    /// <summary>The scalars from the double hyper-parameters (Undamped = 1 − dampening).</summary>
    public static SgdStep From(double lr, double momentum, double dampening, double weightDecay, bool nesterov) =>
        new((float)lr, (float)momentum, (float)(1 - dampening), (float)weightDecay, nesterov);
}

/// <summary>
/// One Adam or AdamW step's scalars at step t (from 1), computed in double as Python computes them and rounded once:
/// StepSize = lr/(1 − β₁ᵗ), Correction2Sqrt = √(1 − β₂ᵗ), Shrink = 1 − lr·wd for AdamW (1 otherwise).
/// </summary>
public readonly record struct AdamStep(float StepSize, float Correction2Sqrt, float Shrink, float Beta1, float Beta2,
    float OneMinusBeta1, float OneMinusBeta2, float Eps, float WeightDecay, bool Decoupled)
{
    /// <summary>The scalars of step <paramref name="t"/>.</summary>
    public static AdamStep At(long t, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled) =>
        new((float)(lr / (1 - Math.Pow(beta1, t))), (float)Math.Sqrt(1 - Math.Pow(beta2, t)),
            decoupled ? (float)(1 - lr * weightDecay) : 1f, (float)beta1, (float)beta2, (float)(1 - beta1), (float)(1 - beta2),
            (float)eps, (float)weightDecay, decoupled);
}
