using Functional.Network;
using Functional.Random;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// A training step's pullback drops each layer's captures once it has run; the public forward's pullback keeps
/// them. Both must give the same gradients, and the public one the same result when called twice.
/// </summary>
public class NetworkSingleUsePullbackTests
{
    private static readonly Layer Net =
        Conv(4, 3, padding: 1).Then(BatchNorm).Then(ReLU)
            .Then(Residual(Conv(4, 3, padding: 1).Then(BatchNorm).Then(ReLU).Then(Conv(4, 3, padding: 1)).Then(BatchNorm), after: ReLU))
            .Then(Concat(Conv(2, 1), MaxPool(1)))
            .Then(Residual(Conv(8, 3, stride: 2, padding: 1, bias: false).Then(BatchNorm), after: ReLU))
            .Then(GlobalAvgPool).Then(Flatten).Then(Dense(3));

    [Fact]
    public void A_training_steps_gradients_equal_those_of_the_reusable_forward_pullback_called_twice()
    {
        foreach (var ctx in new[] { ExecutionContext.Reference, ExecutionContext.Cpu(2) })
        {
            var model = Net.Init(Shape.Image(3, 6, 6), seed: 5, ctx);
            var x = Tensor.Uniform(Shape.Images(4, 3, 6, 6), Key.FromSeed(6), -1f, 1f);
            int[] labels = [0, 2, 1, 2];
            var step = model.LossAndGradients(Loss.CrossEntropy, x, labels, Key.FromSeed(7));

            var forward = model.Forward(x, Key.FromSeed(7));
            var dy = Loss.CrossEntropy.Compute(ctx, forward.Output, labels).Gradient;
            var first = forward.Pullback(dy);
            var second = forward.Pullback(dy);
            foreach (var leaf in step.Gradients)
            {
                Assert.Equal(leaf.Value.ToArray(), first.Gradients[leaf.Path].ToArray());
                Assert.Equal(leaf.Value.ToArray(), second.Gradients[leaf.Path].ToArray());
            }
            Assert.Equal(first.Input.ToArray(), second.Input.ToArray());
        }
    }
}
