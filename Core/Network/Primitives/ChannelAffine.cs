using Functional.Backends;
using Functional.Ops;

namespace Functional.Network.Primitives;

/// <summary>
/// y = w_c·x + b_c with one trainable coefficient and bias per channel: LeNet-5's trainable subsampling (after
/// a 2×2 average) and any per-channel scale. Parameters <c>weight</c> (1) and <c>bias</c> (0).
/// dx = w·dy, dw = Σ dy·x and db = Σ dy over all but the channel dim.
/// </summary>
public sealed record ChannelAffine : Primitive
{
    /// <inheritdoc />
    public override string Description => "ChannelAffine";

    /// <inheritdoc />
    protected override Shape Output(Shape input) => input.Rank >= 2
        ? input
        : throw new ShapeException($"input {input} has no channel dim for a per-channel coefficient.");

    /// <inheritdoc />
    public override IReadOnlyList<ParameterSpec> Parameters(Shape input) =>
        [ParameterSpec.Constant("weight", Shape.Of(input[1]), 1f), ParameterSpec.Constant("bias", Shape.Of(input[1]), 0f)];

    /// <inheritdoc />
    public override long MultAdds(Shape input, Shape output) => input.WithoutBatch().Count;

    /// <inheritdoc />
    protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass)
    {
        var ctx = pass.Context;
        var g = AxisGeometry.Around(x.Shape, 1);
        var (w, b) = (parameters["weight"], parameters["bias"]);
        var y = SeamCalls.PerAxis(ctx, BinaryOp.Add, g, SeamCalls.PerAxis(ctx, BinaryOp.Multiply, g, x, w), b);
        return new(y, state, dy =>
        {
            var dw = SeamCalls.ReducePerAxis(ctx, ReduceOp.Sum, g, SeamCalls.Binary(ctx, BinaryOp.Multiply, dy, x));
            var db = SeamCalls.ReducePerAxis(ctx, ReduceOp.Sum, g, dy);
            return PullbackResult.For(pass, () => SeamCalls.PerAxis(ctx, BinaryOp.Multiply, g, dy, w), TensorTree.Of(("weight", dw), ("bias", db)));
        });
    }
}
