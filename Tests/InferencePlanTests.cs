using Functional.Network;
using Functional.Random;
using Functional.Tests.Support;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// <see cref="Model.Predict"/> runs a compiled inference plan; <see cref="Model.Forward"/> in inference mode runs the
/// layers one by one. Over seeded random networks the two agree bit for bit when no batch norm is folded into a conv,
/// and to float rounding when one is; NaN reaches the output through folded layers too; buffers reused across calls
/// and threads never leak one call into another.
/// </summary>
public class InferencePlanTests
{
    private static readonly ExecutionContext[] Contexts = [ExecutionContext.Reference, ExecutionContext.Cpu(2)];

    // A random conv network on 3×12×12: conv blocks with or without batch norm and ReLU, max or average pooling,
    // residual blocks (identity or projection shortcut, ReLU after the sum or not), a dense head.
    private static Layer RandomNetwork(Key key, bool norms)
    {
        var layers = new List<Layer>();
        var i = 0;
        bool Coin() => key.Below(i++, 2) == 1;
        int Pick(params int[] options) => options[key.Below(i++, options.Length)];
        var size = 12;   // the spatial extent, so that every window fits
        Layer Block(int width, int stride)
        {
            // Unpadded 3×3 only at stride 1 on maps that stay at least 2 wide; strided blocks halve the map exactly,
            // as a projection shortcut needs.
            var kernel = Pick(1, 3);
            var pad = stride == 2 || size < 4 || Coin() ? kernel / 2 : 0;
            size = (size + 2 * pad - kernel) / stride + 1;
            var conv = Conv(width, kernel, stride: stride, padding: pad, bias: !norms || Coin());
            var block = norms && Coin() ? conv.Then(BatchNorm) : conv;
            return Coin() ? block.Then(ReLU) : block;
        }
        var width = Pick(4, 8);
        for (var b = 0; b < 3; b++)
        {
            layers.Add(Pick(0, 1, 2) switch
            {
                0 => Block(width = Pick(4, 8, 16), 1),
                // Without norms the shortcut is a plain 1×1 conv: the default projection has a batch norm.
                1 => Residual(Conv(width, 3, padding: 1).Then(norms ? BatchNorm : ReLU).Then(ReLU).Then(Conv(width, 3, padding: 1)).Then(norms ? BatchNorm : Identity),
                        norms ? null : Conv(width, 1), Coin() ? ReLU : null),
                _ => Residual(Block(width *= 2, 2).Then(Conv(width, 3, padding: 1)), norms ? null : Conv(width, 1, stride: 2), ReLU),
            });
            if (size >= 4 && Coin())
            {
                layers.Add(Coin() ? MaxPool(2) : AvgPool(2));
                size /= 2;
            }
        }
        layers.Add(Coin() ? GlobalAvgPool : Identity);
        return Sequential([.. layers, Flatten, Dense(7), .. Coin() ? [ReLU, Dense(5)] : Array.Empty<Layer>()]);
    }

    // Batch-norm statistics and affine parameters away from 0 and 1, so that folding them is not a no-op.
    private static Model Trained(Model model, Key key)
    {
        var i = 0;
        var state = model.State.Map((path, t) => Tensor.Uniform(t.Shape, key.Split(i++),
            path.EndsWith("running_var", StringComparison.Ordinal) ? 0.3f : -0.5f, path.EndsWith("running_var", StringComparison.Ordinal) ? 2f : 0.5f));
        var parameters = model.Parameters.Map((path, t) => t.Shape.Rank == 1 && !path.EndsWith("bias", StringComparison.Ordinal)
            ? Tensor.Uniform(t.Shape, key.Split(i++), 0.5f, 1.5f) : t);
        return model.WithState(state).WithParameters(parameters);
    }

    [Fact]
    public void Without_batch_norm_the_plan_gives_the_layers_bits()
    {
        for (var seed = 0; seed < 12; seed++)
            foreach (var ctx in Contexts)
            {
                var model = RandomNetwork(Key.FromSeed(seed), norms: false).Init(Shape.Image(3, 12, 12), seed, ctx);
                var x = Tensor.Uniform(Shape.Images(3, 3, 12, 12), Key.FromSeed(seed + 100), -1f, 1f);
                var (expected, actual) = (model.Forward(x, Key.FromSeed(0), training: false).Output.ToArray(), model.Predict(x).ToArray());
                Assert.True(expected.SequenceEqual(actual), $"seed {seed} on {ctx}: {string.Join(", ", expected.Take(4))} … against {string.Join(", ", actual.Take(4))} …");
            }
    }

    // The plan prepares each conv's filter once (IBackend.PrepareConvFilter) where the layers prepare it on every call:
    // on the Cpu backend the Winograd transform of the 3×3 convs of more than 16 channels over enough tiles, and the
    // GEMM's packing of the others: short and tall (more than 144 output channels, split over two threads by rows),
    // grouped, pointwise.
    [Fact]
    public void A_filter_prepared_once_gives_the_bits_of_one_prepared_per_call()
    {
        var ctx = ExecutionContext.Cpu(2);
        var net = Sequential(Conv(32, 3, padding: 1), ReLU, Conv(32, 3, padding: 1), ReLU,
            Residual(Conv(32, 3, padding: 1).Then(ReLU).Then(Conv(32, 3, padding: 1)), null, ReLU),
            Conv(160, 3, stride: 2, padding: 1), ReLU, Conv(64, 3, padding: 1, groups: 2), Conv(200, 1), ReLU, GlobalAvgPool, Flatten, Dense(5));
        var model = net.Init(Shape.Image(3, 16, 16), 7, ctx);
        var geometry = new Backends.ConvGeometry(2, 2, 32, 32, 1, new Backends.Dims3(1, 16, 16), new Backends.Dims3(1, 3, 3),
            new Backends.Dims3(1, 1, 1), new Backends.Dims3(1, 1, 1), new Backends.Dims3(0, 1, 1), new Backends.Dims3(1, 16, 16));
        Assert.NotNull(ctx.Backend.PrepareConvFilter(geometry, Tensor.Uniform(Shape.Of(geometry.WeightLength), Key.FromSeed(1), -1f, 1f).Storage));
        var x = Tensor.Uniform(Shape.Images(2, 3, 16, 16), Key.FromSeed(3), -1f, 1f);
        var (expected, actual) = (model.Forward(x, Key.FromSeed(0), training: false).Output.ToArray(), model.Predict(x).ToArray());
        Assert.True(expected.SequenceEqual(actual), $"{string.Join(", ", expected.Take(4))} … against {string.Join(", ", actual.Take(4))} …");
        Assert.True(expected.Any(v => v != 0f), "the output is all zeros, which would agree with anything");
    }

    [Fact]
    public void With_batch_norm_folded_the_plan_agrees_to_float_rounding()
    {
        for (var seed = 0; seed < 12; seed++)
            foreach (var ctx in Contexts)
            {
                var model = Trained(RandomNetwork(Key.FromSeed(seed), norms: true).Init(Shape.Image(3, 12, 12), seed, ctx), Key.FromSeed(seed + 50));
                var x = Tensor.Uniform(Shape.Images(3, 3, 12, 12), Key.FromSeed(seed + 100), -1f, 1f);
                var (expected, actual) = (model.Forward(x, Key.FromSeed(0), training: false).Output.ToArray(), model.Predict(x).ToArray());
                var scale = expected.Max(v => Math.Abs(v));
                Assert.True(scale > 0f, $"seed {seed}: the output is all zeros, which would agree with anything");
                var error = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
                Assert.True(error <= 1e-5f * scale, $"seed {seed} on {ctx}: max |Predict − Forward| {error} against output scale {scale}");
            }
    }

    [Fact]
    public void A_NaN_input_reaches_the_output_through_folded_batch_norms_and_fused_relus()
    {
        var net = Conv(4, 3, padding: 1, bias: false).Then(BatchNorm).Then(ReLU).Then(MaxPool(2))
            .Then(Residual(Conv(4, 3, padding: 1).Then(BatchNorm), after: ReLU)).Then(GlobalAvgPool).Then(Flatten).Then(Dense(3));
        foreach (var ctx in Contexts)
        {
            var model = Trained(net.Init(Shape.Image(2, 6, 6), 3, ctx), Key.FromSeed(4));
            var values = Tensor.Uniform(Shape.Images(2, 2, 6, 6), Key.FromSeed(5), -1f, 1f).ToArray();
            values[7] = float.NaN;   // sample 0 only
            var y = model.Predict(Tensor.FromArray(Shape.Images(2, 2, 6, 6), values)).ToArray();
            Assert.All(y[..3], v => Assert.True(float.IsNaN(v), $"sample 0: {string.Join(", ", y[..3])}"));
            Assert.All(y[3..], v => Assert.True(float.IsFinite(v), $"sample 1: {string.Join(", ", y[3..])}"));
        }
    }

    [Fact]
    public void Calls_that_share_a_plan_do_not_see_each_others_buffers()
    {
        var model = Trained(RandomNetwork(Key.FromSeed(3), norms: true).Init(Shape.Image(3, 12, 12), 3, ExecutionContext.Cpu(2)), Key.FromSeed(9));
        var inputs = Enumerable.Range(0, 6).Select(k => Tensor.Uniform(Shape.Images(2, 3, 12, 12), Key.FromSeed(k), -1f, 1f)).ToArray();
        var alone = inputs.Select(x => model.Predict(x).ToArray()).ToArray();
        Assert.NotEqual(alone[0], alone[1]);
        var together = new float[inputs.Length][];
        Parallel.For(0, 4 * inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k => together[k % inputs.Length] = model.Predict(inputs[k % inputs.Length]).ToArray());
        for (var k = 0; k < inputs.Length; k++) Assert.Equal(alone[k], together[k]);
        Assert.Equal(alone[0], model.Predict(inputs[0]).ToArray());
    }

    [Fact]
    public void The_plan_runs_no_batch_norm_no_argmax_and_one_relu_per_fused_layer()
    {
        var counting = new CountingBackend(ExecutionContext.Cpu(2).Backend);
        var net = Conv(4, 3, padding: 1, bias: false).Then(BatchNorm).Then(ReLU).Then(MaxPool(2))
            .Then(Residual(Conv(4, 3, padding: 1).Then(BatchNorm).Then(ReLU).Then(Conv(4, 3, padding: 1)).Then(BatchNorm), after: ReLU))
            .Then(Flatten).Then(Dense(3));
        var model = Trained(net.Init(Shape.Image(2, 6, 6), 3, new ExecutionContext(counting)), Key.FromSeed(4));
        var x = Tensor.Uniform(Shape.Images(2, 2, 6, 6), Key.FromSeed(5), -1f, 1f);
        model.Predict(x);
        counting.Reset();
        model.Predict(x);
        Assert.Equal(3, counting.Calls("ConvForward"));
        Assert.Equal(0, counting.Calls("BatchNormForward") + counting.Calls("BatchNormReLUForward"));
        Assert.Equal(1, counting.Calls("MaxPoolInference"));
        Assert.Equal(0, counting.Calls("PoolForward"));
        Assert.Equal(3, counting.Calls("Unary"));    // the first two convs' ReLUs and the one after the sum, in place
        Assert.Equal(1, counting.Calls("Gemm"));
    }
}
