using Functional.Network;
using Functional.Random;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Functions;

/// <summary>Freezing a named subtree: the optimizer leaves its parameters and slots as they were.</summary>
public class FreezingTests
{
    private static readonly Layer Net = Named("backbone", Conv(3, 3).Then(GroupNorm(3)).Then(SiLU)).Then(Flatten).Then(Named("head", Dense(2)));

    [Fact]
    public void A_frozen_subtree_keeps_its_parameters_and_slots_while_the_rest_trains()
    {
        var model = Net.Init(Shape.Image(1, 5, 5), seed: 3);
        var x = Tensor.Uniform(Shape.Images(4, 1, 5, 5), Key.FromSeed(1), -1f, 1f);
        var optimizer = Optimizer.Adam(0.1).Freezing("backbone");
        var state = optimizer.Init(model);
        var after = model;
        for (var i = 0; i < 3; i++)
        {
            var step = after.LossAndGradients(Loss.CrossEntropy, x, [0, 1, 1, 0], Key.FromSeed(i));
            Assert.Equal(model.Parameters.Paths, step.Gradients.Paths);   // gradient records keep the full structure
            (after, state) = optimizer.Step(after, step.Gradients, state);
        }
        foreach (var leaf in model.Parameters)
        {
            var changed = !leaf.Value.ToArray().SequenceEqual(after.Parameters[leaf.Path].ToArray());
            Assert.True(changed != leaf.Path.StartsWith("backbone."), $"{leaf.Path} changed: {changed}");
            var moment = state["exp_avg"][leaf.Path].ToArray();
            Assert.True(moment.Any(v => v != 0f) != leaf.Path.StartsWith("backbone."), $"{leaf.Path}'s moment");
        }
        Assert.Equal(3, state.Step);
    }

    [Fact]
    public void A_prefix_that_names_no_parameter_is_an_error_listing_the_paths()
    {
        var model = Net.Init(Shape.Image(1, 5, 5), seed: 3);
        var optimizer = Optimizer.Sgd(0.1).Freezing("backbon");
        var step = model.LossAndGradients(Loss.CrossEntropy, Tensor.Zeros(Shape.Images(1, 1, 5, 5)), [1], Key.FromSeed(0));
        var e = Assert.Throws<ArgumentException>(() => optimizer.Step(model, step.Gradients, optimizer.Init(model)));
        Assert.Contains("no parameter lies under 'backbon'", e.Message);
        Assert.Contains("backbone.0.weight", e.Message);
    }
}
