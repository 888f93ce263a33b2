using Functional.Functions;

namespace Functional.Network.Functions;

/// <summary>
/// PyTorch's LayerNorm over the last <see cref="Dims"/> dims of each sample (0: every dim after the batch, the
/// usual choice after a conv), with an element-wise affine <c>weight</c> (1) and <c>bias</c> (0) of that shape.
/// Unlike batch norm it keeps no running statistics: training and inference compute the same thing.
/// </summary>
public sealed record LayerNormLayer(int Dims = 0, float Eps = 1e-5f) : FunctionLayer
{
    /// <inheritdoc />
    public override string Description => Dims == 0 ? "LayerNorm" : $"LayerNorm(last {Dims})";

    private int Normalized(Shape input)
    {
        var dims = Dims == 0 ? input.Rank - 1 : Dims;
        if (dims < 1 || dims > input.Rank - 1)
            throw new ShapeException($"input {input} has {input.Rank - 1} dims after the batch; LayerNorm cannot normalise the last {dims}.");
        return dims;
    }

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        Normalized(input);
        return input;
    }

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input)
    {
        var shape = Shape.Of(input.Dims.Skip(input.Rank - Normalized(input)));
        return [ParameterSpec.Constant("weight", shape, 1f), ParameterSpec.Constant("bias", shape, 0f)];
    }

    /// <summary>As batch norm counts itself: a scale and a shift per element (the statistics are not counted).</summary>
    public override long MultAdds(Shape input, Shape output) => 2L * input.WithoutBatch().Count;

    /// <inheritdoc />
    protected internal override Var Function(Var x, IReadOnlyDictionary<string, Var> p) =>
        Fn.LayerNorm(x, p["weight"], p["bias"], Normalized(x.Shape), Eps);
}

/// <summary>
/// PyTorch's GroupNorm: channels split into <see cref="Groups"/> groups, each sample's group normalised by its own
/// statistics, then a per-channel <c>weight</c> (1) and <c>bias</c> (0). <see cref="Groups"/> = 0 means one group
/// per channel, which is InstanceNorm with an affine transform (PyTorch's GroupNorm(C, C)).
/// </summary>
public sealed record GroupNormLayer(int Groups, float Eps = 1e-5f) : FunctionLayer
{
    /// <inheritdoc />
    public override string Description => Groups == 0 ? "InstanceNorm" : $"GroupNorm({Groups})";

    private int GroupsFor(Shape input)
    {
        if (input.Rank < 2) throw new ShapeException($"input {input} has no channel dim to group.");
        var g = Groups == 0 ? input[1] : Groups;
        if (g < 1 || input[1] % g != 0)
            throw new ShapeException($"{g} groups do not divide the {input[1]} channels of input {input} (GroupNorm needs C mod groups = 0).");
        return g;
    }

    /// <inheritdoc />
    protected override Shape Output(Shape input)
    {
        GroupsFor(input);
        return input;
    }

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input) =>
        [ParameterSpec.Constant("weight", Shape.Of(input[1]), 1f), ParameterSpec.Constant("bias", Shape.Of(input[1]), 0f)];

    /// <summary>As batch norm counts itself: a scale and a shift per element (the statistics are not counted).</summary>
    public override long MultAdds(Shape input, Shape output) => 2L * input.WithoutBatch().Count;

    /// <inheritdoc />
    protected internal override Var Function(Var x, IReadOnlyDictionary<string, Var> p) =>
        Fn.GroupNorm(x, GroupsFor(x.Shape), p["weight"], p["bias"], Eps);
}
