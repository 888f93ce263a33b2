using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>
/// A transposed convolution (PyTorch's ConvTranspose1d/2d/3d by input rank): o = (i−1)s − 2p + d(k−1) +
/// output_padding + 1. Weights are C_in × C_out/groups × kernel, initialised as PyTorch does (fan-in taken from
/// the weight's dim 1 and kernel).
/// </summary>
public sealed record ConvTransposeLayer(int Filters, PerDim Kernel, PerDim Stride, PerDim Padding, PerDim OutputPadding, PerDim Dilation,
    int Groups = 1, bool Bias = true) : Primitive
{
    /// <inheritdoc />
    public override string Description
    {
        get
        {
            var parts = new List<string> { $"{Filters}", $"{Kernel}" };
            if (Stride != 1) parts.Add($"stride {Stride}");
            if (Padding != 0) parts.Add($"padding {Padding}");
            if (OutputPadding != 0) parts.Add($"output padding {OutputPadding}");
            if (Dilation != 1) parts.Add($"dilation {Dilation}");
            if (Groups != 1) parts.Add($"groups {Groups}");
            if (!Bias) parts.Add("no bias");
            return $"ConvTranspose({string.Join(", ", parts)})";
        }
    }

    /// <summary>The operation's spec for a batched input.</summary>
    public ConvTransposeSpec Spec(Shape input)
    {
        var rank = input.Rank - 2;
        if (rank is < 1 or > 3)
            throw new ShapeException($"input {input} has {Math.Max(rank, 0)} spatial dims; a transposed conv takes N×C×L, N×C×H×W or N×C×D×H×W.");
        return new ConvTransposeSpec(rank, Filters, Kernel.For(rank), Stride.For(rank), Functional.Padding.Of(Padding.For(rank)),
            OutputPadding.For(rank), Dilation.For(rank), Groups, Bias);
    }

    /// <inheritdoc />
    protected override Shape Output(Shape input) => Spec(input).Plan(input).OutputShape;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input)
    {
        var plan = Spec(input).Plan(input);
        return ParameterSpec.WeightAndBias(plan.WeightShape, plan.BiasShape);
    }

    /// <summary>Every input element meets C_out/groups × kernel weights.</summary>
    public override long MultAdds(Shape input, Shape output)
    {
        var plan = Spec(input).Plan(input);
        return (long)input.WithoutBatch().Count * (plan.WeightShape.Count / plan.WeightShape[0]);
    }

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var spec = Spec(x.Shape);
        var (w, b) = (parameters["weight"], parameters.Find("bias"));
        var y = ConvTranspose.Forward(pass.Context, spec, x, w, b);
        return new(y, state, dy =>
        {
            if (!pass.InputGradient)
            {
                var p = ConvTranspose.ParameterGradients(pass.Context, spec, x, w, b, dy);
                return PullbackResult.ParametersOnly(WeightAndBias(p.Weight, p.Bias));
            }
            var g = ConvTranspose.Backward(pass.Context, spec, x, w, b, dy);
            return new PullbackResult(g.Input, WeightAndBias(g.Weight, g.Bias));
        });
    }
}
