using Functional.Backends;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Training;

/// <summary>
/// The per-tensor steps of the optimizers and the training step's checks, as seam calls (the arithmetic is
/// <see cref="Backends.Reference.OptimizerKernels"/>, in PyTorch's order of float32 operations). They run where the
/// parameters live: on the device backend that owns their storage, or for host tensors on the single-threaded Cpu
/// backend, which computes what the host loops always computed. Every call returns fresh tensors.
/// </summary>
internal static class Updates
{
    /// <summary>The backend holding the first of <paramref name="ts"/> that lives on a device, or for host memory the one-thread Cpu backend.</summary>
    public static IBackend BackendOf(params ReadOnlySpan<Tensor> ts)
    {
        foreach (var t in ts)
            if (t.Storage.Owner is { } owner) return owner;
        return ExecutionContext.Cpu(1).Backend;
    }

    /// <summary>
    /// SGD: g ← g + wd·p; buf ← g on the first step (no <paramref name="buffer"/>), else μ·buf + (1 − dampening)·g;
    /// the step direction is g + μ·buf with Nesterov, buf without; p ← p − lr·direction. Without momentum no buffer is returned.
    /// </summary>
    public static (Tensor Parameter, Tensor? Momentum) Sgd(Tensor p, Tensor g, Tensor? buffer, double learningRate, double momentumFactor,
        double dampeningFactor, double decay, bool nesterov)
    {
        var b = buffer is null ? BackendOf(p, g) : BackendOf(p, g, buffer);
        var s = SgdStep.From(learningRate, momentumFactor, dampeningFactor, decay, nesterov);
        var next = new Tensor(p.Shape, b.AllocateUninitialized(p.Count));
        var nextBuffer = s.Momentum != 0f ? new Tensor(p.Shape, b.AllocateUninitialized(p.Count)) : null;
        b.SgdUpdate(s, p.Storage, g.Storage, buffer?.Storage, next.Storage, nextBuffer?.Storage);
        return (next, nextBuffer);
    }

    /// <summary>
    /// Adam at step t (from 1): m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
    /// p ← p − (lr/(1−β₁ᵗ))·m / (√v/√(1−β₂ᵗ) + ε). Weight decay is added to the gradient (L2, Adam) or, when
    /// <paramref name="decoupled"/>, applied to the parameter first as p ← p·(1 − lr·wd) (AdamW).
    /// </summary>
    public static (Tensor Parameter, Tensor M, Tensor V) Adam(Tensor p, Tensor g, Tensor m, Tensor v, long t, double lr,
        double beta1, double beta2, double eps, double weightDecay, bool decoupled)
    {
        var b = BackendOf(p, g, m, v);
        var (next, m2, v2) = (Fresh(b, p), Fresh(b, p), Fresh(b, p));
        b.AdamUpdate(AdamStep.At(t, lr, beta1, beta2, eps, weightDecay, decoupled), p.Storage, g.Storage, m.Storage, v.Storage,
            next.Storage, m2.Storage, v2.Storage);
        return (next, m2, v2);
    }

    private static Tensor Fresh(IBackend b, Tensor like) => new(like.Shape, b.AllocateUninitialized(like.Count));

    /// <summary>(Σx², non-finite flag) per tensor, in one small tensor on <paramref name="b"/> (2 values per tensor).</summary>
    public static Tensor SquaresAndFlags(IBackend b, IReadOnlyList<Tensor> tensors)
    {
        var result = new Tensor(Shape.Of(2 * tensors.Count), b.Allocate(2 * tensors.Count));
        if (tensors.Count > 0) b.SquaresAndFlags(tensors.Select(t => t.Storage).ToArray(), result.Storage);
        return result;
    }

    /// <summary>g·scale[0] for a one-element device tensor <paramref name="scale"/> (gradient clipping).</summary>
    public static Tensor Scale(IBackend b, Tensor g, Tensor scale)
    {
        var y = Fresh(b, g);
        b.Binary(BinaryOp.Multiply, new AxisGeometry(1, 1, g.Count), g.Storage, scale.Storage, true, y.Storage);
        return y;
    }

    /// <summary>The index of the first NaN or infinity in <paramref name="t"/>, or −1 (reads the tensor on the host).</summary>
    public static int FirstNonFinite(Tensor t)
    {
        var s = t.Span;
        for (var i = 0; i < s.Length; i++)
            if (!float.IsFinite(s[i])) return i;
        return -1;
    }
}
