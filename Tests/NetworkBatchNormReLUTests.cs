using Functional.Backends;
using Functional.Network;
using Functional.Random;
using Functional.Tests.Support;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// A chain runs a batch norm and the ReLU after it as one fused pass. The network must not be able to tell: output,
/// running statistics, parameter and input gradients equal those of the same network with the pair kept apart
/// (a ReLU alone in a one-branch concat is not fused), bit for bit, in training and inference, on both backends.
/// </summary>
public class NetworkBatchNormReLUTests
{
    private static Layer Net(bool fusable)
    {
        Layer Act() => fusable ? ReLU : Concat(ReLU);
        return Conv(4, 3, padding: 1, bias: false).Then(Named("bn", BatchNorm)).Then(Act())
            .Then(Residual(Conv(4, 3, padding: 1).Then(BatchNorm).Then(Act()).Then(Conv(4, 3, padding: 1)).Then(BatchNorm), after: Act()))
            .Then(GlobalAvgPool).Then(Flatten).Then(Dense(3)).Then(BatchNorm).Then(Act());
    }

    [Fact]
    public void Fused_and_separate_batch_norm_and_relu_give_the_same_bits()
    {
        foreach (var ctx in new[] { ExecutionContext.Reference, ExecutionContext.Cpu(2) })
        {
            var (fused, apart) = (Net(true).Init(Shape.Image(3, 6, 6), seed: 5, ctx), Net(false).Init(Shape.Image(3, 6, 6), seed: 5, ctx));
            // Negative inputs as well, so that each ReLU stops part of the gradient.
            var x = Tensor.Uniform(Shape.Images(4, 3, 6, 6), Key.FromSeed(6), -1f, 1f);
            SameStep.Assert(fused, apart, x, [0, 2, 1, 2], state: true);

            foreach (var training in new[] { true, false })
            {
                var (fa, fb) = (fused.Forward(x, Key.FromSeed(8), training), apart.Forward(x, Key.FromSeed(8), training));
                Assert.Equal(fb.Output.ToArray(), fa.Output.ToArray());
                var dy = Tensor.Uniform(fa.Output.Shape, Key.FromSeed(9), -1f, 1f);
                Assert.Equal(fb.Pullback(dy).Input.ToArray(), fa.Pullback(dy).Input.ToArray());
            }
        }
    }

    [Fact]
    public void A_training_step_runs_each_batch_norm_and_its_relu_as_one_entry_each_way()
    {
        var counting = new CountingBackend(ExecutionContext.Cpu(2).Backend);
        var model = Net(true).Init(Shape.Image(3, 6, 6), seed: 5, new ExecutionContext(counting));
        counting.Reset();
        model.LossAndGradients(Loss.CrossEntropy, Tensor.Uniform(Shape.Images(4, 3, 6, 6), Key.FromSeed(6), -1f, 1f), [0, 2, 1, 2], Key.FromSeed(7));
        // Four batch norms: three followed by a ReLU in their chain; the residual's last one is followed by its
        // 'after' ReLU, which is not in the same chain.
        Assert.Equal(3, counting.Calls(nameof(IBackend.BatchNormReLUForward)));
        Assert.Equal(3, counting.Calls(nameof(IBackend.BatchNormReLUBackward)));
        Assert.Equal(1, counting.Calls(nameof(IBackend.BatchNormForward)));
        Assert.Equal(1, counting.Calls(nameof(IBackend.BatchNormBackward)));
    }
}
