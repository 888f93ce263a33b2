using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>
/// Cross-entropy from logits x (N×K) and integer labels, with mean reduction and optional label smoothing ε:
/// the target is q = (1−ε)·onehot(label) + ε/K, and loss = −(1/N)·Σₙ Σₖ qₙₖ·log-softmax(x)ₙₖ. Going through
/// log-softmax keeps it finite for any finite logits. The gradient is (softmax(x) − q)/N.
/// </summary>
public static class CrossEntropy
{
    /// <summary>The mean loss and its gradient with respect to the logits.</summary>
    /// <exception cref="ShapeException">x is not N×K, or there is not one label per sample.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, K), or ε is outside [0, 1].</exception>
    /// <exception cref="NonFiniteLossException">The loss is NaN or infinite; the message names the sample and class.</exception>
    public static LossResult Compute(ExecutionContext ctx, Tensor logits, IReadOnlyList<int> labels, float labelSmoothing = 0f, string? layer = null)
    {
        var where = LayerName.Of("CrossEntropy", layer);
        var target = Target(where, logits.Shape, labels, labelSmoothing);
        int n = logits.Shape[0], k = logits.Shape[1];
        var logp = SeamCalls.New(ctx, logits.Shape);
        ctx.Backend.Softmax(new AxisGeometry(n, k, 1), true, logits.Storage, logp.Storage);
        var sum = SeamCalls.ReduceAll(ctx, ReduceOp.Sum, SeamCalls.Binary(ctx, BinaryOp.Multiply, logp, target));
        var loss = SeamCalls.Unary(ctx, UnaryOp.Scale, sum, -1f / n);
        if (!float.IsFinite(loss.Span[0])) throw NonFinite(where, logits, logp, target);
        var probabilities = SeamCalls.Unary(ctx, UnaryOp.Exp, logp);
        var gradient = SeamCalls.Unary(ctx, UnaryOp.Scale, SeamCalls.Binary(ctx, BinaryOp.Subtract, probabilities, target), 1f / n);
        return new LossResult(loss, gradient);
    }

    private static Tensor Target(string where, Shape logits, IReadOnlyList<int> labels, float smoothing)
    {
        if (logits.Rank != 2)
            throw new ShapeException($"{where}: logits {logits} must be N×K (one row of K class scores per sample).");
        int n = logits[0], k = logits[1];
        if (labels.Count != n)
            throw new ShapeException($"{where}: {labels.Count} labels for {n} samples (logits {logits}); there must be one label per sample.");
        if (n == 0 || k == 0)
            throw new ShapeException($"{where}: logits {logits} are empty; the mean over samples is undefined.");
        if (!(smoothing >= 0f && smoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, $"{where}: label smoothing {smoothing} must be in [0, 1].");
        var q = new float[n * k];
        Array.Fill(q, smoothing / k);
        for (var i = 0; i < n; i++)
        {
            if ((uint)labels[i] >= (uint)k)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"{where}: label {labels[i]} of sample {i} is outside [0, {k}); logits {logits} have {k} classes.");
            q[i * k + labels[i]] += 1f - smoothing;
        }
        return Tensor.Wrap(logits, q);
    }

    private static NonFiniteLossException NonFinite(string where, Tensor logits, Tensor logp, Tensor target)
    {
        var x = logits.Span; var lp = logp.Span; var q = target.Span;
        int n = logits.Shape[0], k = logits.Shape[1];
        for (var i = 0; i < x.Length; i++)
            if (!float.IsFinite(x[i]))
                return new($"{where}: the loss is not finite because logit {x[i]} of sample {i / k}, class {i % k}, is not finite.", i / k);
        for (var s = 0; s < n; s++)
        {
            var l = 0.0;
            for (var c = 0; c < k; c++) l -= q[s * k + c] * lp[s * k + c];
            if (!double.IsFinite(l)) return new($"{where}: the loss of sample {s} is {l} although its logits are finite.", s);
        }
        return new($"{where}: the mean loss overflowed although every sample's loss is finite.", -1);
    }
}
