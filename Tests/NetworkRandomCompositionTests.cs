using Functional.Network;
using Functional.Random;
using Xunit;
using Xunit.Sdk;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

/// <summary>
/// Seeded random compositions of valid layers: what shapes predict is what running gives, gradient trees mirror
/// parameter trees, and the trace agrees with OutputShape. A failure prints the seed and the network.
/// </summary>
public class NetworkRandomCompositionTests
{
    private static (Layer Net, Shape Input) RandomNetwork(Key key)
    {
        var input = Shape.Image(1 + key.Below(0, 3), 6 + key.Below(1, 6), 6 + key.Below(2, 6));
        var layers = new List<Layer>();
        var shape = input;
        for (var i = 0; i < 6; i++)
        {
            var k = key.Split(i + 10);
            var f = 1 + k.Below(1, 4);
            Layer candidate = k.Below(0, 9) switch
            {
                0 => Conv(f, 3, padding: 1),
                1 => Conv(f, (1, 3), stride: (1, 2), padding: (0, 1)),
                2 => ReLU,
                3 => Tanh,
                4 => BatchNorm,
                5 => MaxPool(2, ceil: true),
                6 => Residual(Conv(f, 3, stride: 1 + k.Below(2, 2), padding: 1).Then(BatchNorm), after: ReLU),
                7 => Concat(Pointwise(f), DepthwiseConv(3, padding: 1)),
                _ => AvgPool(2, stride: 1),
            };
            if (candidate is Functional.Network.Primitives.PoolLayer && (shape[1] < 2 || shape[2] < 2)) continue;
            layers.Add(candidate);
            shape = Sequential([.. layers]).OutputShape(input);
        }
        return (Sequential([.. layers, Flatten, Dense(3)]), input);
    }

    [Fact]
    public void Running_a_random_network_gives_the_shapes_it_promised()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var (net, input) = RandomNetwork(Key.FromSeed(seed));
            try
            {
                var model = net.Init(input, seed);
                var rows = net.Trace(input);
                Assert.Equal(net.OutputShape(input), rows[^1].Output);
                Assert.Equal(model.Parameters.ElementCount, rows.Sum(r => r.Parameters));
                Assert.Equal(model.Parameters.Paths.Concat(model.State.Paths), net.TensorShapes(input).Select(t => t.Path));

                var x = Tensor.Uniform(input.WithBatch(2), Key.FromSeed(seed + 1000), -1, 1);
                Assert.Equal(model.OutputShape.WithBatch(2), model.Predict(x).Shape);
                var step = model.LossAndGradients(Loss.CrossEntropy, x, [0, 2], Key.FromSeed(seed));
                Assert.True(model.Parameters.SameStructure(step.Gradients));
                Assert.True(model.State.SameStructure(step.State));
                Assert.True(float.IsFinite(step.Loss));
            }
            catch (Exception e)
            {
                throw new XunitException($"seed {seed}, input {input}, network {string.Join(" → ", net.Trace(input).Select(r => $"{r.Index}:{r.Layer}"))}: {e.Message}");
            }
        }
    }

    [Fact]
    public void Then_is_associative_on_random_splits()
    {
        for (var seed = 0; seed < 40; seed++)
        {
            var key = Key.FromSeed(seed);
            Layer[] parts = [.. Enumerable.Range(0, 5).Select(i => key.Below(i, 4) switch { 0 => Conv(2, 3), 1 => ReLU, 2 => Identity, _ => MaxPool(2) })];
            var left = parts.Aggregate((a, b) => a.Then(b));
            var right = parts.Reverse().Aggregate((b, a) => a.Then(b));
            Assert.True(left.Equals(right), $"seed {seed}: ((…)·) {left} differs from (·(…)) {right}");
            Assert.Equal(Sequential(parts), left);
        }
    }
}
