using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>Which pooling a <see cref="PoolLayer"/> computes.</summary>
public enum PoolType
{
    /// <summary>The window's maximum (first on ties, as PyTorch).</summary>
    Max,
    /// <summary>The window's mean.</summary>
    Average,
}

/// <summary>
/// Max or average pooling over 1, 2 or 3 spatial dims (taken from the input), PyTorch's MaxPool/AvgPool: stride
/// defaults to the kernel, padding is zero-filled and at most half the kernel.
/// </summary>
public sealed record PoolLayer(PoolType Type, PerDim Kernel, PerDim? Stride = null, PerDim? Padding = null, PerDim? Dilation = null,
    bool CeilMode = false, bool CountIncludePad = true) : Primitive
{
    /// <inheritdoc />
    public override string Description
    {
        get
        {
            var parts = new List<string> { $"{Kernel}" };
            if (Stride is { } s && s != Kernel) parts.Add($"stride {s}");
            if (Padding is { } p && p != 0) parts.Add($"padding {p}");
            if (Dilation is { } d && d != 1) parts.Add($"dilation {d}");
            if (CeilMode) parts.Add("ceil");
            if (!CountIncludePad) parts.Add("padding not counted");
            return $"{(Type == PoolType.Max ? "MaxPool" : "AvgPool")}({string.Join(", ", parts)})";
        }
    }

    /// <summary>The operation's spec for a batched input N×C×spatial.</summary>
    public PoolSpec Spec(Shape input)
    {
        var rank = input.Rank - 2;
        if (rank is < 1 or > 3)
            throw new ShapeException($"input {input} has {Math.Max(rank, 0)} spatial dims; pooling takes N×C×L, N×C×H×W or N×C×D×H×W" +
                (rank < 1 ? " (it cannot follow Flatten or Dense)." : "."));
        return new PoolSpec(rank, Kernel.For(rank), Stride?.For(rank), Padding?.For(rank), Dilation?.For(rank), CeilMode, CountIncludePad);
    }

    /// <inheritdoc />
    protected override Shape Output(Shape input) => Spec(input).OutputShape(input, $"{(Type == PoolType.Max ? "MaxPool" : "AvgPool")}{input.Rank - 2}d");

    /// <inheritdoc />
    public override long MultAdds(Shape input, Shape output) => 0;

    /// <inheritdoc />
    public override IReadOnlyList<Window> Windows(Shape input)
    {
        var s = Spec(input);
        return Enumerable.Range(0, s.Rank).Select(d => new Window(s.Kernel[d], s.Stride[d], s.Dilation[d], s.Padding[d])).ToArray();
    }

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var spec = Spec(x.Shape);
        if (Type == PoolType.Max)
        {
            var forward = MaxPool.Forward(pass.Context, x, spec);
            return new(forward.Output, state, dy => PullbackResult.For(pass, () => MaxPool.Backward(pass.Context, forward, dy), TensorTree.Empty));
        }
        var y = AvgPool.Forward(pass.Context, x, spec);
        return new(y, state, dy => PullbackResult.For(pass, () => AvgPool.Backward(pass.Context, x.Shape, spec, dy), TensorTree.Empty));
    }
}
