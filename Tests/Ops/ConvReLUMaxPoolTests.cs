using Functional.Ops;
using Functional.Random;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Ops;

/// <summary>
/// <see cref="ConvReLUMaxPool"/> gives the bits of <see cref="Conv"/>, ReLU and <see cref="MaxPool"/> one after the
/// other, on both backends: overlapping windows (a position wins several), ties at zero after the ReLU, and a NaN.
/// </summary>
public class ConvReLUMaxPoolTests
{
    [Fact]
    public void The_block_ops_equal_conv_relu_and_max_pool_with_nan_and_ties()
    {
        var conv = new ConvSpec(2, 3, [3, 3], padding: 1);
        var pool = new PoolSpec(2, [2, 2], stride: [1, 1]);
        foreach (var ctx in new[] { ExecutionContext.Reference, ExecutionContext.Cpu(2) })
        {
            var xs = Tensor.Uniform(Shape.Images(2, 2, 6, 6), Key.FromSeed(1), -1f, 1f).ToArray();
            xs[7] = float.NaN;   // a NaN reaches some conv outputs, which the ReLU and the pooling pass on
            var x = Tensor.FromArray(Shape.Images(2, 2, 6, 6), xs);
            var w = Tensor.Uniform(Shape.Of(3, 2, 3, 3), Key.FromSeed(2), -0.5f, 0.5f);
            var b = Tensor.Uniform(Shape.Of(3), Key.FromSeed(3), -0.5f, 0.5f);
            var block = ConvReLUMaxPool.Forward(ctx, conv, x, w, b, pool);
            var z = Conv.Forward(ctx, conv, x, w, b);
            var a = Activation.ReLU.Forward(ctx, z);
            var m = MaxPool.Forward(ctx, a, pool);
            Assert.Equal(m.Output.ToArray(), block.Output.ToArray());

            var dy = Tensor.Uniform(m.Output.Shape, Key.FromSeed(4), -1f, 1f);
            var separate = Conv.Backward(ctx, conv, x, w, b, Activation.ReLU.Backward(ctx, z, a, MaxPool.Backward(ctx, m, dy)));
            var fused = ConvReLUMaxPool.Backward(ctx, conv, x, w, b, block, dy);
            Assert.Equal(separate.Input.ToArray(), fused.Input.ToArray());
            Assert.Equal(separate.Weight.ToArray(), fused.Weight.ToArray());
            Assert.Equal(separate.Bias!.ToArray(), fused.Bias!.ToArray());
            var parameters = ConvReLUMaxPool.ParameterGradients(ctx, conv, x, w, b, block, dy);
            Assert.Equal(separate.Weight.ToArray(), parameters.Weight.ToArray());
        }
    }
}
