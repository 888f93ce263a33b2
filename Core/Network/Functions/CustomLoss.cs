using Functional.Functions;
using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Network.Functions;

/// <summary>
/// A loss written as a differentiable tensor function of the prediction and the target, returning one value (the
/// batch's loss): its gradient with respect to the prediction comes from <see cref="Grad"/>. With
/// <see cref="OfLabels"/> the integer labels arrive as a one-hot N×K tensor of the prediction's shape.
/// </summary>
public sealed record CustomLoss : Loss
{
    private readonly string _name;
    private readonly Func<Var, Var, Var> _body;
    private readonly bool _labels;

    private CustomLoss(string name, Func<Var, Var, Var> body, bool labels) => (_name, _body, _labels) = (name, body, labels);

    /// <summary>A loss against a target tensor, such as a reconstruction loss.</summary>
    public static CustomLoss Of(string name, Func<Var, Var, Var> body) => new(name, body, false);

    /// <summary>A loss against integer labels, handed to <paramref name="body"/> as a one-hot tensor shaped like the prediction.</summary>
    public static CustomLoss OfLabels(string name, Func<Var, Var, Var> body) => new(name, body, true);

    /// <inheritdoc />
    public override LossResult Compute(ExecutionContext context, Tensor prediction, Tensor target) => _labels
        ? base.Compute(context, prediction, target)
        : Run(context, prediction, target);

    /// <inheritdoc />
    public override LossResult Compute(ExecutionContext context, Tensor prediction, IReadOnlyList<int> labels)
    {
        if (!_labels) return base.Compute(context, prediction, labels);
        if (prediction.Shape.Rank != 2 || prediction.Shape[0] != labels.Count)
            throw new ArgumentException($"{_name}: a label loss takes N×K predictions and N labels, not {prediction.Shape} and {labels.Count}.", nameof(labels));
        var k = prediction.Shape[1];
        var onehot = new float[prediction.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            if ((uint)labels[i] >= (uint)k) throw new ArgumentException($"{_name}: label {labels[i]} of sample {i} is outside 0..{k - 1}.", nameof(labels));
            onehot[i * k + labels[i]] = 1f;
        }
        return Run(context, prediction, Tensor.FromArray(prediction.Shape, onehot));
    }

    private LossResult Run(ExecutionContext context, Tensor prediction, Tensor target)
    {
        var (value, gradient) = Grad.ValueAndGrad(p => _body(p, target), prediction, context);
        return new LossResult(value.Reshape(Shape.Scalar), gradient);
    }

    /// <summary>The name given.</summary>
    public override string ToString() => _name;
}
