using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>
/// A locally connected 2-d layer: a convolution whose weights are not shared across output positions. Weight
/// oH×oW×C_out×C_in×kH×kW, bias C_out×oH×oW; zero padding.
/// </summary>
public sealed record LocallyConnectedLayer(int Filters, PerDim Kernel, PerDim Stride, PerDim Padding, PerDim Dilation, bool Bias = true) : Primitive
{
    /// <inheritdoc />
    public override string Description
    {
        get
        {
            var parts = new List<string> { $"{Filters}", $"{Kernel}" };
            if (Stride != 1) parts.Add($"stride {Stride}");
            if (Padding != 0) parts.Add($"padding {Padding}");
            if (Dilation != 1) parts.Add($"dilation {Dilation}");
            if (!Bias) parts.Add("no bias");
            return $"LocallyConnected({string.Join(", ", parts)})";
        }
    }

    /// <summary>The operation's spec.</summary>
    public LocallyConnectedSpec Spec() => new(Filters, Kernel.At(0, 2), Kernel.At(1, 2), Stride.At(0, 2), Stride.At(1, 2),
        Padding.At(0, 2), Padding.At(1, 2), Dilation.At(0, 2), Dilation.At(1, 2), Bias);

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        foreach (var (name, v) in new[] { ("kernel", Kernel), ("stride", Stride), ("padding", Padding), ("dilation", Dilation) })
            if (v.Values.Length is not (1 or 2))
                throw new ShapeException($"LocallyConnected2d: {name} has {v.Values.Length} values ({v}); it takes one, or one each for H and W.");
        return LocallyConnected2d.OutputShape(Spec(), input);
    }

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input)
    {
        var w = LocallyConnected2d.WeightShape(Spec(), input);
        var o = Output(input);
        var fanIn = (long)w[3] * w[4] * w[5];
        var weight = ParameterSpec.KaimingUniform("weight", w, fanIn);
        return Bias ? [weight, ParameterSpec.KaimingUniform("bias", Shape.Of(Filters, o[2], o[3]), fanIn)] : [weight];
    }

    /// <inheritdoc />
    public override long MultAdds(Shape input, Shape output) => (long)output.WithoutBatch().Count * input[1] * Kernel.At(0, 2) * Kernel.At(1, 2);

    /// <inheritdoc />
    public override IReadOnlyList<Window> Windows(Shape input) =>
        [new(Kernel.At(0, 2), Stride.At(0, 2), Dilation.At(0, 2), Padding.At(0, 2)), new(Kernel.At(1, 2), Stride.At(1, 2), Dilation.At(1, 2), Padding.At(1, 2))];

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var spec = Spec();
        var (w, b) = (parameters["weight"], parameters.Find("bias"));
        var y = LocallyConnected2d.Forward(pass.Context, spec, x, w, b);
        return new(y, state, dy =>
        {
            if (!pass.InputGradient)
            {
                var p = LocallyConnected2d.ParameterGradients(pass.Context, spec, x, w, dy);
                return PullbackResult.ParametersOnly(WeightAndBias(p.Weight, p.Bias));
            }
            var g = LocallyConnected2d.Backward(pass.Context, spec, x, w, dy);
            return new PullbackResult(g.Input, WeightAndBias(g.Weight, g.Bias));
        });
    }
}
