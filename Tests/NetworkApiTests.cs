using Functional.Network;
using Functional.Random;
using Functional.Tests.Support;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

public class NetworkApiTests
{
    private static Layer LeNet5() =>
        Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2))
            .Then(Conv(16, 5)).Then(ReLU).Then(MaxPool(2))
            .Then(Flatten).Then(Dense(120)).Then(ReLU).Then(Dense(84)).Then(ReLU).Then(Dense(10));

    [Fact]
    public void LeNet5_parameters_are_addressed_like_an_nn_Sequential()
    {
        var model = LeNet5().Init(Shape.Image(1, 28, 28), seed: 42);
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias"],
            model.Parameters.Paths);
        Assert.Equal(Shape.Of(6, 1, 5, 5), model.Parameters["0.weight"].Shape);
        Assert.Equal(Shape.Of(120, 400), model.Parameters["7.weight"].Shape);
        Assert.Equal(61_706, model.Parameters.ElementCount);
        Assert.Equal(Shape.Of(10), model.OutputShape);
        Assert.Empty(model.State);
    }

    [Fact]
    public void LossAndGradients_returns_a_gradient_tree_with_the_parameters_paths_and_shapes()
    {
        var model = LeNet5().Init(Shape.Image(1, 28, 28), seed: 42);
        var x = Tensor.Uniform(Shape.Images(4, 1, 28, 28), Key.FromSeed(1));
        var step = model.LossAndGradients(Loss.CrossEntropy, x, [0, 3, 9, 1], Key.FromSeed(2));
        Assert.True(model.Parameters.SameStructure(step.Gradients));
        Assert.Equal(model.Parameters.Paths, step.Gradients.Paths);
        Assert.InRange(step.Loss, 1.5f, 3.5f);       // ≈ ln 10 for a freshly initialised classifier
        Assert.Contains(step.Gradients, g => g.Value.Span.ToArray().Any(v => v != 0f));
        Assert.Equal(Shape.Of(4, 10), step.Output.Shape);
    }

    [Fact]
    public void A_gradient_step_lowers_the_loss_and_leaves_the_old_model_untouched()
    {
        var model = LeNet5().Init(Shape.Image(1, 28, 28), seed: 7);
        var x = Tensor.Uniform(Shape.Images(8, 1, 28, 28), Key.FromSeed(3));
        int[] labels = [0, 1, 2, 3, 4, 5, 6, 7];
        var before = model.Parameters["0.weight"].ToArray();
        var step = model.LossAndGradients(Loss.CrossEntropy, x, labels, Key.FromSeed(4));
        var sgd = model.WithParameters(model.Parameters.Zip(step.Gradients, (p, g) =>
            Tensor.FromArray(p.Shape, p.ToArray().Zip(g.ToArray(), (a, b) => a - 0.1f * b).ToArray())));
        var after = sgd.LossAndGradients(Loss.CrossEntropy, x, labels, Key.FromSeed(4));
        Assert.True(after.Loss < step.Loss, $"loss {step.Loss} → {after.Loss} after one step along −∇");
        Assert.Equal(before, model.Parameters["0.weight"].ToArray());
    }

    [Fact]
    public void Model_gradients_match_central_differences_in_double()
    {
        var net = Conv(3, 3, padding: 1).Then(Tanh).Then(MaxPool(2)).Then(Flatten).Then(Dense(4));
        var model = net.Init(Shape.Image(2, 4, 4), seed: 5).WithContext(DoubleBackend.Context);
        var leaves = model.Parameters.ToArray();
        var flat = leaves.SelectMany(l => l.Value.ToArray().Select(v => (double)v)).ToArray();
        var x = DoubleBackend.Tensor(Shape.Images(2, 2, 4, 4), FiniteDifferences.Random(64, 11));
        int[] labels = [1, 3];

        Model With(double[] values) => DoubleBackend.WithFlatParameters(model, values);

        var step = With(flat).LossAndGradients(Loss.CrossEntropy, x, labels, Key.FromSeed(0));
        var analytic = step.Gradients.SelectMany(g => DoubleBackend.Values(g.Value)).ToArray();
        var numeric = FiniteDifferences.Gradient(v => DoubleBackend.Values(With(v).Forward(x, Key.FromSeed(0)).Output) is var logits
            ? CrossEntropy(logits, labels, 4) : 0, flat);
        FiniteDifferences.AssertClose("model gradient", analytic, numeric, rtol: 1e-5, atol: 1e-8);
    }

    [Fact]
    public void Predict_rejects_an_input_of_another_shape_naming_both()
    {
        var model = LeNet5().Init(Shape.Image(1, 28, 28), seed: 1);
        var e = Assert.Throws<ShapeException>(() => model.Predict(Tensor.Zeros(Shape.Images(2, 3, 32, 32))));
        Assert.Contains("input 2×3×32×32 is not a batch of 1×28×28", e.Message);
    }

    [Fact]
    public void Init_is_reproducible_from_the_seed()
    {
        var a = LeNet5().Init(Shape.Image(1, 28, 28), seed: 3).Parameters;
        var b = LeNet5().Init(Shape.Image(1, 28, 28), seed: 3).Parameters;
        var c = LeNet5().Init(Shape.Image(1, 28, 28), seed: 4).Parameters;
        Assert.All(a.Zip(b), p => Assert.Equal(p.First.Value.ToArray(), p.Second.Value.ToArray()));
        Assert.NotEqual(a["0.weight"].ToArray(), c["0.weight"].ToArray());
        // PyTorch's default bound 1/√fan_in: conv1 has fan_in 25, so |w| < 0.2.
        Assert.All(a["0.weight"].ToArray(), w => Assert.InRange(w, -0.2f, 0.2f));
    }

    private static double CrossEntropy(double[] logits, int[] labels, int k)
    {
        var sum = 0.0;
        for (var n = 0; n < labels.Length; n++)
        {
            var row = logits.AsSpan(n * k, k).ToArray();
            var m = row.Max();
            sum += m + Math.Log(row.Sum(v => Math.Exp(v - m))) - row[labels[n]];
        }
        return sum / labels.Length;
    }
}
