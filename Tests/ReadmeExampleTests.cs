using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Network;
using Functional.Random;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

/// <summary>README's C# example, line for line, so the front page cannot drift from the API.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_example_compiles_runs_and_leaves_the_old_model_untouched()
    {
        var images = Tensor.Uniform(Shape.Images(4, 1, 28, 28), Key.FromSeed(1));
        int[] labels = [0, 3, 9, 1];
        var key = Key.FromSeed(2);

        var net = Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2))
                 .Then(Conv(16, 5)).Then(ReLU).Then(MaxPool(2))
                 .Then(Flatten).Then(Dense(120)).Then(ReLU).Then(Dense(84)).Then(ReLU).Then(Dense(10));

        var summary = net.Summary(Shape.Image(1, 28, 28)).ToString();
        var model = net.Init(Shape.Image(1, 28, 28), seed: 42, ExecutionContext.Cpu());
        var before = model;
        var step = model.LossAndGradients(Loss.CrossEntropy, images, labels, key);
        var optimizer = Optimizer.Adam(1e-3); var state = optimizer.Init(model);
        (var parameters, state) = optimizer.Step(model.Parameters, step.Gradients, state);
        model = model.WithParameters(parameters).WithState(step.State);

        Assert.Contains("61,706", summary);
        Assert.Equal(["0.weight", "0.bias", "3.weight"], step.Gradients.Take(3).Select(l => l.Path));
        Assert.NotEqual(before.Parameters["0.weight"].ToArray(), model.Parameters["0.weight"].ToArray());
        Assert.Equal(before.Parameters["0.weight"].ToArray(), net.Init(Shape.Image(1, 28, 28), seed: 42).Parameters["0.weight"].ToArray());
    }
}
