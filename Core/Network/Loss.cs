using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Network;

/// <summary>
/// A loss as a value: from a network's output and the targets, the mean loss and its gradient with respect to
/// the output. Classification losses take integer labels, regression losses a target tensor.
/// </summary>
public abstract record Loss
{
    /// <summary>Cross-entropy from logits (N×K) and one label per sample, mean over the batch.</summary>
    public static Loss CrossEntropy { get; } = new CrossEntropyLoss(0f);

    /// <summary>Cross-entropy against targets smoothed by ε: (1−ε)·onehot + ε/K.</summary>
    public static Loss CrossEntropyWithSmoothing(float epsilon) => new CrossEntropyLoss(epsilon);

    /// <summary>Mean squared error against a target tensor of the output's shape.</summary>
    public static Loss Mse { get; } = new MseLoss();

    /// <summary>The loss against integer labels.</summary>
    /// <exception cref="ArgumentException">This loss needs a target tensor instead.</exception>
    public virtual LossResult Compute(ExecutionContext context, Tensor prediction, IReadOnlyList<int> labels) =>
        throw new ArgumentException($"{this} compares the output with a target tensor, not with integer labels; pass a tensor of the output's shape {prediction.Shape}.", nameof(labels));

    /// <summary>The loss against a target tensor.</summary>
    /// <exception cref="ArgumentException">This loss needs integer labels instead.</exception>
    public virtual LossResult Compute(ExecutionContext context, Tensor prediction, Tensor target) =>
        throw new ArgumentException($"{this} takes one integer label per sample, not a target tensor ({target.Shape}).", nameof(target));

    private sealed record CrossEntropyLoss(float Smoothing) : Loss
    {
        public override LossResult Compute(ExecutionContext context, Tensor prediction, IReadOnlyList<int> labels) =>
            Ops.CrossEntropy.Compute(context, prediction, labels, Smoothing);

        public override string ToString() => Smoothing == 0f ? "CrossEntropy" : $"CrossEntropy(smoothing {Smoothing})";
    }

    private sealed record MseLoss : Loss
    {
        public override LossResult Compute(ExecutionContext context, Tensor prediction, Tensor target) =>
            Ops.Mse.Compute(context, prediction, target);

        public override string ToString() => "Mse";
    }
}
