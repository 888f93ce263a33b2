using Functional.Backends;
using Functional.Network;
using Functional.Random;
using Functional.Tests.Support;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// A chain runs a conv, the ReLU after it and the max pooling after that as one block, whose conv output is kernel
/// scratch. The network must not be able to tell: output, parameter and input gradients equal those of the same
/// network with the three kept apart (a ReLU alone in a one-branch concat is not fused), bit for bit, on both
/// backends (the ops themselves: Ops/ConvReLUMaxPoolTests).
/// </summary>
public class NetworkConvReLUMaxPoolTests
{
    // The first block is the first layer with parameters (its backward skips the input gradient); the second pads
    // by reflection, has no bias, and pools overlapping, padded windows.
    private static Layer Net(bool fusable)
    {
        Layer Act() => fusable ? ReLU : Concat(ReLU);
        return Conv(4, 3, padding: 1).Then(Act()).Then(MaxPool(2))
            .Then(Named("block", Conv(5, 3, padding: 1, bias: false, paddingMode: PaddingMode.Reflect))).Then(Act()).Then(MaxPool(3, stride: 2, padding: 1))
            .Then(Flatten).Then(Dense(3));
    }

    [Fact]
    public void Fused_and_separate_conv_relu_and_max_pool_give_the_same_bits()
    {
        foreach (var ctx in new[] { ExecutionContext.Reference, ExecutionContext.Cpu(2) })
        {
            var (fused, apart) = (Net(true).Init(Shape.Image(3, 8, 8), seed: 5, ctx), Net(false).Init(Shape.Image(3, 8, 8), seed: 5, ctx));
            // Negative inputs as well, so that each ReLU stops part of the gradient and pools see ties at zero.
            var x = Tensor.Uniform(Shape.Images(4, 3, 8, 8), Key.FromSeed(6), -1f, 1f);
            SameStep.Assert(fused, apart, x, [0, 2, 1, 2]);

            var (fa, fb) = (fused.Forward(x, Key.FromSeed(8), training: true), apart.Forward(x, Key.FromSeed(8), training: true));
            Assert.Equal(fb.Output.ToArray(), fa.Output.ToArray());
            var dy = Tensor.Uniform(fa.Output.Shape, Key.FromSeed(9), -1f, 1f);
            Assert.Equal(fb.Pullback(dy).Input.ToArray(), fa.Pullback(dy).Input.ToArray());
        }
    }

    [Fact]
    public void A_training_step_runs_each_block_as_one_entry_each_way()
    {
        var counting = new CountingBackend(ExecutionContext.Cpu(2).Backend);
        var model = Net(true).Init(Shape.Image(3, 8, 8), seed: 5, new ExecutionContext(counting));
        counting.Reset();
        model.LossAndGradients(Loss.CrossEntropy, Tensor.Uniform(Shape.Images(4, 3, 8, 8), Key.FromSeed(6), -1f, 1f), [0, 2, 1, 2], Key.FromSeed(7));
        Assert.Equal(2, counting.Calls(nameof(IBackend.ConvReLUMaxPoolForward)));
        Assert.Equal(2, counting.Calls(nameof(IBackend.ConvReLUMaxPoolBackward)));
        Assert.Equal(0, counting.Calls(nameof(IBackend.ConvForward)));
        Assert.Equal(0, counting.Calls(nameof(IBackend.PoolForward)));
    }
}
