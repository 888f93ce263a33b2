using System.Runtime.Intrinsics;

namespace Functional.Training;

/// <summary>
/// The per-tensor arithmetic of the optimizers, in PyTorch's order of float32 operations (its single-tensor
/// code paths), so that one step agrees with <c>torch.optim</c> to float rounding. Every function reads its
/// inputs and returns fresh tensors; nothing is written in place, so the caller's old parameters stay valid.
/// </summary>
internal static class Updates
{
    /// <summary>
    /// SGD: g ← g + wd·p; buf ← g on the first step, else μ·buf + (1 − dampening)·g; the step direction is
    /// g + μ·buf with Nesterov, buf without; p ← p − lr·direction. Without momentum no buffer is returned.
    /// </summary>
    public static (Tensor Parameter, Tensor? Momentum) Sgd(Tensor p, Tensor g, Tensor? buffer, double learningRate, double momentumFactor,
        double dampeningFactor, double decay, bool nesterov)
    {
        float lr = (float)learningRate, momentum = (float)momentumFactor, undamped = (float)(1 - dampeningFactor), weightDecay = (float)decay;
        ReadOnlySpan<float> ps = p.Span, gs = g.Span;
        var n = ps.Length;
        var next = GC.AllocateUninitializedArray<float>(n);
        if (momentum == 0f && weightDecay == 0f)
        {
            Descend(ps, gs, lr, next);
            return (Tensor.Wrap(p.Shape, next), null);
        }
        var buf = momentum != 0f ? GC.AllocateUninitializedArray<float>(n) : null;
        var old = buffer is null ? default : buffer.Span;
        for (var i = 0; i < n; i++)
        {
            var d = weightDecay != 0f ? gs[i] + weightDecay * ps[i] : gs[i];
            if (buf is not null)
            {
                buf[i] = buffer is null ? d : momentum * old[i] + undamped * d;
                d = nesterov ? d + momentum * buf[i] : buf[i];
            }
            next[i] = ps[i] - lr * d;
        }
        return (Tensor.Wrap(p.Shape, next), buf is null ? null : Tensor.Wrap(p.Shape, buf));
    }

    // p − lr·g, the plain step, eight lanes at a time with the scalar loop's two roundings (no fused multiply-add).
    private static void Descend(ReadOnlySpan<float> p, ReadOnlySpan<float> g, float lr, Span<float> next)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vlr = Vector256.Create(lr);
            for (; i <= p.Length - 8; i += 8)
                (Vector256.Create(p.Slice(i, 8)) - vlr * Vector256.Create(g.Slice(i, 8)))
                    .CopyTo(next.Slice(i, 8));
        }
        for (; i < p.Length; i++) next[i] = p[i] - lr * g[i];
    }

    /// <summary>
    /// Adam at step t (from 1): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
    /// p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε). Weight decay is added to the gradient (L2, Adam) or, when
    /// <paramref name="decoupled"/>, applied to the parameter first as p ← p·(1 − lr·wd) (AdamW).
    /// </summary>
    public static (Tensor Parameter, Tensor M, Tensor V) Adam(Tensor p, Tensor g, Tensor m, Tensor v, long t, double lr,
        double beta1, double beta2, double eps, double weightDecay, bool decoupled)
    {
        ReadOnlySpan<float> ps = p.Span, gs = g.Span, ms = m.Span, vs = v.Span;
        var n = ps.Length;
        var next = new float[n];
        var m2 = new float[n];
        var v2 = new float[n];
        // The scalars are computed in double, as Python computes them, and then rounded once.
        var stepSize = (float)(lr / (1 - Math.Pow(beta1, t)));
        var correction2Sqrt = (float)Math.Sqrt(1 - Math.Pow(beta2, t));
        var shrink = decoupled ? (float)(1 - lr * weightDecay) : 1f;
        float b1 = (float)beta1, b2 = (float)beta2, c1 = (float)(1 - beta1), c2 = (float)(1 - beta2), e = (float)eps, wd = (float)weightDecay;
        for (var i = 0; i < n; i++)
        {
            var x = decoupled ? ps[i] * shrink : ps[i];
            var d = !decoupled && wd != 0f ? gs[i] + wd * ps[i] : gs[i];
            m2[i] = ms[i] * b1 + d * c1;
            v2[i] = vs[i] * b2 + c2 * d * d;
            var denom = MathF.Sqrt(v2[i]) / correction2Sqrt + e;
            next[i] = x - stepSize * (m2[i] / denom);
        }
        return (Tensor.Wrap(p.Shape, next), Tensor.Wrap(p.Shape, m2), Tensor.Wrap(p.Shape, v2));
    }

    /// <summary>g·scale, as a fresh tensor (gradient clipping).</summary>
    public static Tensor Scale(Tensor g, float scale)
    {
        var gs = g.Span;
        var y = new float[gs.Length];
        for (var i = 0; i < y.Length; i++) y[i] = gs[i] * scale;
        return Tensor.Wrap(g.Shape, y);
    }

    /// <summary>Σ g², accumulated in double so the norm of a large tree does not lose its small leaves.</summary>
    public static double SumOfSquares(Tensor g)
    {
        var s = 0.0;
        foreach (var x in g.Span) s += (double)x * x;
        return s;
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="t"/>, or −1.</summary>
    public static int FirstNonFinite(Tensor t)
    {
        var s = t.Span;
        for (var i = 0; i < s.Length; i++)
            if (!float.IsFinite(s[i])) return i;
        return -1;
    }
}
