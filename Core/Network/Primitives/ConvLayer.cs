using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>
/// A convolution layer (cross-correlation, PyTorch's Conv1d/2d/3d). Its in-channels come from the input; its
/// spatial rank too, unless <see cref="Rank"/> pins it. A depthwise conv sets <see cref="Depthwise"/>: groups
/// equal the input channels and <see cref="Filters"/> is the per-channel multiplier. Weights are
/// C_out × C_in/groups × kernel and start Kaiming-uniform as in PyTorch.
/// </summary>
public sealed record ConvLayer(int Filters, PerDim Kernel, PerDim Stride, Padding Padding, PerDim Dilation, int Groups = 1,
    bool Bias = true, PaddingMode Mode = PaddingMode.Zeros, int? Rank = null, bool Depthwise = false) : Primitive
{
    /// <inheritdoc />
    public override string Description
    {
        get
        {
            var parts = new List<string> { Depthwise ? $"×{Filters}" : $"{Filters}", $"{Kernel}" };
            if (Stride != 1) parts.Add($"stride {Stride}");
            if (!Padding.Equals(Padding.None)) parts.Add($"padding {Padding}");
            if (Dilation != 1) parts.Add($"dilation {Dilation}");
            if (Groups != 1) parts.Add($"groups {Groups}");
            if (!Bias) parts.Add("no bias");
            if (Mode != PaddingMode.Zeros) parts.Add(Mode.ToString().ToLowerInvariant());
            var name = Depthwise ? "DepthwiseConv" : "Conv";
            return $"{name}{(Rank is { } r ? $"{r}d" : "")}({string.Join(", ", parts)})";
        }
    }

    /// <summary>The operation's spec for a batched input N×C×spatial.</summary>
    /// <exception cref="ShapeException">The input has no spatial dims, or too many.</exception>
    public ConvSpec Spec(Shape input)
    {
        var rank = Rank ?? input.Rank - 2;
        if (Rank is null && (rank < 1 || rank > 3))
            throw new ShapeException($"input {input} has {Math.Max(rank, 0)} spatial dims; a conv takes N×C×L, N×C×H×W or N×C×D×H×W" +
                (rank < 1 ? " (a conv cannot follow Flatten or Dense)." : "."));
        var channels = input.Rank > 1 ? input[1] : 0;
        return new ConvSpec(rank, Depthwise ? channels * Filters : Filters, Kernel.For(rank), Stride.For(rank), Padding,
            Dilation.For(rank), Depthwise ? channels : Groups, Bias, Mode);
    }

    /// <inheritdoc />
    protected override Shape Output(Shape input) => Spec(input).Plan(input).OutputShape;

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input)
    {
        var plan = Spec(input).Plan(input);
        return ParameterSpec.WeightAndBias(plan.WeightShape, plan.BiasShape);
    }

    /// <inheritdoc />
    public override long MultAdds(Shape input, Shape output)
    {
        var plan = Spec(input).Plan(input);
        return (long)output.WithoutBatch().Count * (plan.WeightShape.Count / plan.WeightShape[0]);
    }

    /// <inheritdoc />
    public override IReadOnlyList<Window> Windows(Shape input)
    {
        var spec = Spec(input);
        // With a non-zero padding mode the plan pads explicitly, so its geometry shows no padding: resolve it again.
        return Enumerable.Range(0, spec.Rank).Select(d => new Window(spec.Kernel[d], spec.Stride[d], spec.Dilation[d],
            ShapeRules.Resolve(spec.Padding, d, spec.Rank, input[2 + d], spec.Kernel[d], spec.Stride[d], spec.Dilation[d], "Conv").Before)).ToArray();
    }

    /// <summary>
    /// This conv, the ReLU after it and the max pooling after that in one pass (<see cref="ConvReLUMaxPool"/>): the
    /// pooled output and the conv's gradients are the three layers' bits, without the conv's and the ReLU's
    /// full-size outputs as tensors of their own. The caller has checked the pooling against the conv's output.
    /// </summary>
    internal LayerOutput RunWithReLUMaxPool(Tensor x, TensorTree parameters, TensorTree state, Pass pass, Site site, PoolLayer pool) =>
        site.Locate(Description, () =>
        {
            var spec = Spec(x.Shape);
            var (w, b) = (parameters["weight"], parameters.Find("bias"));
            var forward = ConvReLUMaxPool.Forward(pass.Context, spec, x, w, b, pool.Spec(spec.Plan(x.Shape).OutputShape));
            return new LayerOutput(forward.Output, state, dy =>
            {
                if (!pass.InputGradient)
                {
                    var p = ConvReLUMaxPool.ParameterGradients(pass.Context, spec, x, w, b, forward, dy);
                    return PullbackResult.ParametersOnly(WeightAndBias(p.Weight, p.Bias));
                }
                var g = ConvReLUMaxPool.Backward(pass.Context, spec, x, w, b, forward, dy);
                return new PullbackResult(g.Input, WeightAndBias(g.Weight, g.Bias));
            });
        });

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var spec = Spec(x.Shape);
        var (w, b) = (parameters["weight"], parameters.Find("bias"));
        var y = Conv.Forward(pass.Context, spec, x, w, b);
        return new(y, state, dy =>
        {
            if (!pass.InputGradient)
            {
                var p = Conv.ParameterGradients(pass.Context, spec, x, w, b, dy);
                return PullbackResult.ParametersOnly(WeightAndBias(p.Weight, p.Bias));
            }
            var g = Conv.Backward(pass.Context, spec, x, w, b, dy);
            return new PullbackResult(g.Input, WeightAndBias(g.Weight, g.Bias));
        });
    }
}
