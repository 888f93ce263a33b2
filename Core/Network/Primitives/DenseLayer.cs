namespace Functional.Network.Primitives;

/// <summary>
/// Fully connected (PyTorch's Linear): N×in → N×units, y = x·Wᵀ + b with W units×in. In-features come from the
/// input, which must be flat: an image-shaped input is an error that suggests Flatten.
/// </summary>
public sealed record DenseLayer(int Units, bool Bias = true) : Primitive
{
    /// <inheritdoc />
    public override string Description => Bias ? $"Dense({Units})" : $"Dense({Units}, no bias)";

    /// <inheritdoc />
    public override bool SeesWholeInput => true;

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        if (Units < 1) throw new ShapeException($"Dense needs at least 1 unit, not {Units}.");
        if (input.Rank != 2)
            throw new ShapeException($"input {input} has rank {input.Rank}; Dense takes N×features (rank 2)" +
                (input.Rank > 2 ? $": put Flatten before it to get N×{input.Count / Math.Max(input[0], 1)}." : "."));
        return Shape.Of(input[0], Units);
    }

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input)
    {
        return ParameterSpec.WeightAndBias(Shape.Of(Units, input[1]), Bias ? Shape.Of(Units) : null);
    }

    /// <inheritdoc />
    public override long MultAdds(Shape input, Shape output) => (long)input[1] * Units;

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        Output(x.Shape);
        var (w, b) = (parameters["weight"], parameters.Find("bias"));
        var y = Ops.Dense.Forward(pass.Context, x, w, b);
        return new(y, state, dy =>
        {
            if (!pass.InputGradient)
            {
                var p = Ops.Dense.ParameterGradients(pass.Context, x, w, dy, b is not null);
                return PullbackResult.ParametersOnly(WeightAndBias(p.Weight, p.Bias));
            }
            var g = Ops.Dense.Backward(pass.Context, x, w, dy, b is not null);
            return new PullbackResult(g.Input, WeightAndBias(g.Weight, g.Bias));
        });
    }
}
