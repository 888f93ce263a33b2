namespace Functional.Backends.Reference;

/// <summary>
/// The optimizers' per-element arithmetic and the training step's checks, as plain loops in PyTorch's order of
/// float32 operations (its single-tensor code paths), so that one step agrees with <c>torch.optim</c> to float rounding.
/// </summary>
public static class OptimizerKernels
{
    /// <summary>
    /// SGD: d ← g + wd·p; buf ← d when there is no old buffer, else μ·buf + (1 − dampening)·d; the direction is
    /// d + μ·buf with Nesterov, buf without; p ← p − lr·direction. <paramref name="nextBuffer"/> is empty without momentum.
    /// </summary>
    public static void Sgd(in SgdStep s, ReadOnlySpan<float> p, ReadOnlySpan<float> g, ReadOnlySpan<float> buffer, bool hasBuffer,
        Span<float> next, Span<float> nextBuffer)
    {
        var momentum = !nextBuffer.IsEmpty;
        for (var i = 0; i < p.Length; i++)
        {
            var d = s.WeightDecay != 0f ? g[i] + s.WeightDecay * p[i] : g[i];
            if (momentum)
            {
                nextBuffer[i] = hasBuffer ? s.Momentum * buffer[i] + s.Undamped * d : d;
                d = s.Nesterov ? d + s.Momentum * nextBuffer[i] : nextBuffer[i];
            }
            next[i] = p[i] - s.LearningRate * d;
        }
    }

    /// <summary>
    /// Adam: m ← β₁m + (1−β₁)d; v ← β₂v + (1−β₂)d²; p ← p′ − StepSize·m/(√v/Correction2Sqrt + ε), with d the gradient
    /// (plus wd·p for Adam's L2) and p′ = p·Shrink for AdamW.
    /// </summary>
    public static void Adam(in AdamStep s, ReadOnlySpan<float> p, ReadOnlySpan<float> g, ReadOnlySpan<float> m, ReadOnlySpan<float> v,
        Span<float> next, Span<float> nextM, Span<float> nextV)
    {
        for (var i = 0; i < p.Length; i++)
        {
            var x = s.Decoupled ? p[i] * s.Shrink : p[i];
            var d = !s.Decoupled && s.WeightDecay != 0f ? g[i] + s.WeightDecay * p[i] : g[i];
            var m2 = m[i] * s.Beta1 + d * s.OneMinusBeta1;
            var v2 = v[i] * s.Beta2 + s.OneMinusBeta2 * d * d;
            nextM[i] = m2;
            nextV[i] = v2;
            var denom = MathF.Sqrt(v2) / s.Correction2Sqrt + s.Eps;
            next[i] = x - s.StepSize * (m2 / denom);
        }
    }

    /// <summary>Σ x² accumulated in double and rounded once, and 1 if any element is NaN or infinite (else 0).</summary>
    public static (float Squares, float NonFinite) SquaresAndFlag(ReadOnlySpan<float> x)
    {
        var sum = 0.0;
        var bad = false;
        foreach (var v in x)
        {
            sum += (double)v * v;
            bad |= !float.IsFinite(v);
        }
        return ((float)sum, bad ? 1f : 0f);
    }

    /// <summary>
    /// The clipping factor from per-tensor (Σx², flag) pairs: with norm = √Σ, maxNorm/(norm + 10⁻⁶) when that is
    /// below 1, else exactly 1 (as <c>clip_grad_norm_</c>).
    /// </summary>
    public static float ClipScale(double maxNorm, ReadOnlySpan<float> squaresAndFlags)
    {
        var sum = 0.0;
        for (var i = 0; i < squaresAndFlags.Length; i += 2) sum += squaresAndFlags[i];
        var scale = maxNorm / (Math.Sqrt(sum) + 1e-6);
        return scale < 1 ? (float)scale : 1f;
    }

    /// <summary>hits[r] = 1 if the first maximum of row r is at labels[r] (torch.argmax's tie rule), else 0.</summary>
    public static void ArgMaxHits(int rows, int classes, ReadOnlySpan<float> scores, ReadOnlySpan<float> labels, Span<float> hits)
    {
        for (var r = 0; r < rows; r++)
        {
            var best = 0;
            for (var c = 1; c < classes; c++)
                if (scores[r * classes + c] > scores[r * classes + best]) best = c;
            hits[r] = best == (int)labels[r] ? 1f : 0f;
        }
    }
}
