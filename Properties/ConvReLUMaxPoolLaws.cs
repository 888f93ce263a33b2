using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Ops;
using Xunit;
using static Functional.Properties.BackendAgreementKit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Properties;

/// <summary>
/// The fused conv, ReLU, max-pool block gives the bits of the three ops one after the other, on Reference and on Cpu:
/// pooled output, input, weight and bias gradients. Inputs drawn from a few values (ties at zero after the ReLU,
/// signed zeros, NaNs, infinities) and pooling windows that overlap, pad and use ceil mode test the claim the backward
/// rests on: masking dy by the pooled output before the scatter stops exactly what the ReLU stopped after it.
/// </summary>
public class ConvReLUMaxPoolLaws
{
    private static readonly float[] Palette = [0f, -0f, 1f, -1f, 0.5f, -0.5f, float.NaN, float.PositiveInfinity];

    private sealed record Case(int Channels, int Filters, int H, int W, int Kernel, int PoolKernel, int PoolStride, int PoolPadding,
        bool Ceil, int[] Picks)
    {
        public override string ToString() =>
            $"{Channels}x{H}x{W} conv {Filters}@{Kernel} pool k{PoolKernel} s{PoolStride} p{PoolPadding}{(Ceil ? " ceil" : "")}";
    }

    private static Gen<Case> Cases() =>
        from channels in Gen.Choose(1, 3)
        from filters in Gen.Choose(1, 4)
        from h in Gen.Choose(3, 9)
        from w in Gen.Choose(3, 9)
        from kernel in Gen.Elements(1, 3)
        from poolKernel in Gen.Choose(1, 3)
        from poolStride in Gen.Choose(1, 3)
        from poolPadding in Gen.Choose(0, poolKernel / 2)
        from ceil in Gen.Elements(false, true)
        from picks in Gen.ArrayOf(Gen.Choose(0, Palette.Length - 1), 2 * channels * h * w)
        select new Case(channels, filters, h, w, kernel, poolKernel, poolStride, poolPadding, ceil, picks);

    [Property(MaxTest = 150)]
    [Trait("Law", "Equivalence")]
    public Property The_block_equals_conv_relu_and_max_pool_bit_for_bit() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var conv = new ConvSpec(2, c.Filters, [c.Kernel, c.Kernel], padding: c.Kernel / 2);
            var pool = new PoolSpec(2, [c.PoolKernel, c.PoolKernel], [c.PoolStride, c.PoolStride], [c.PoolPadding, c.PoolPadding], ceilMode: c.Ceil);
            try { MaxPool.OutputShape(conv.OutputShape(Shape.Images(2, c.Channels, c.H, c.W)), pool); }
            catch (ShapeException) { return true.Label($"{c}: no valid pooling"); }
            var x = Tensor.FromArray(Shape.Images(2, c.Channels, c.H, c.W), c.Picks.Select(i => Palette[i]).ToArray());
            var wShape = Shape.Of(c.Filters, c.Channels, c.Kernel, c.Kernel);
            var w = Tensor.FromArray(wShape, Values(wShape.Count, c.Picks.Length));
            var b = Tensor.FromArray(Shape.Of(c.Filters), Values(c.Filters, c.Filters));
            foreach (var ctx in new[] { ExecutionContext.Reference, ExecutionContext.Cpu(2) })
            {
                var z = Conv.Forward(ctx, conv, x, w, b);
                var a = Activation.ReLU.Forward(ctx, z);
                var m = MaxPool.Forward(ctx, a, pool);
                var block = ConvReLUMaxPool.Forward(ctx, conv, x, w, b, pool);
                var dy = Tensor.FromArray(m.Output.Shape, Values(m.Output.Count, 7));
                var apart = Conv.Backward(ctx, conv, x, w, b, Activation.ReLU.Backward(ctx, z, a, MaxPool.Backward(ctx, m, dy)));
                var fused = ConvReLUMaxPool.Backward(ctx, conv, x, w, b, block, dy);
                var what = $"{ctx.Backend.Name} {c}";
                Identical($"{what} output", m.Output.ToArray(), block.Output.ToArray());
                Identical($"{what} dx", apart.Input.ToArray(), fused.Input.ToArray());
                Identical($"{what} dw", apart.Weight.ToArray(), fused.Weight.ToArray());
                Identical($"{what} db", apart.Bias!.ToArray(), fused.Bias!.ToArray());
            }
            return true.Label(c.ToString());
        });
}
