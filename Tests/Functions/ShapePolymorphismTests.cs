using Functional.Random;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Functions;

/// <summary>A model accepts any input size its layers and parameters allow, not only the one given at Init.</summary>
public class ShapePolymorphismTests
{
    // Fully convolutional: no tensor depends on the spatial size.
    private static readonly Network.Layer Net = Conv(4, 3, padding: 1).Then(GELU()).Then(MaxPool(2)).Then(Conv(3, 3)).Then(GlobalAvgPool).Then(Flatten);

    [Fact]
    public void A_fully_convolutional_model_runs_on_two_input_sizes_as_a_model_made_for_each()
    {
        var model = Net.Init(Shape.Image(1, 28, 28), seed: 2);
        foreach (var size in new[] { 28, 32 })
        {
            var x = Tensor.Uniform(Shape.Images(2, 1, size, size), Key.FromSeed(size), -1f, 1f);
            var own = Net.Init(Shape.Image(1, size, size), seed: 0).WithParameters(model.Parameters);
            Assert.Equal(Shape.Of(2, 3), model.Predict(x).Shape);
            Assert.Equal(own.Predict(x).ToArray(), model.Predict(x).ToArray());
        }
        Assert.Equal(Shape.Image(1, 28, 28), model.InputShape);   // the Init shape stays the recorded default
    }

    [Fact]
    public void Sizes_the_layers_or_parameters_reject_are_refused_naming_the_layer_or_the_tensor()
    {
        var model = Net.Init(Shape.Image(1, 28, 28), seed: 2);
        var small = Assert.Throws<ShapeException>(() => model.Predict(Tensor.Zeros(Shape.Images(1, 1, 3, 3))));
        Assert.Contains("Conv(3", small.Message);
        var dense = Net.Then(Dense(5)).Then(Flatten).Init(Shape.Image(1, 8, 8), seed: 1);
        Assert.Equal(Shape.Of(1, 5), dense.Predict(Tensor.Zeros(Shape.Images(1, 1, 12, 12))).Shape);
        var pinned = Conv(2, 3).Then(Flatten).Then(Dense(5)).Init(Shape.Image(1, 8, 8), seed: 1);
        var e = Assert.Throws<ShapeException>(() => pinned.Predict(Tensor.Zeros(Shape.Images(1, 1, 10, 10))));
        Assert.Contains("input 1×1×10×10 is not a batch of 1×8×8", e.Message);
        Assert.Contains("'2.weight' would need 5×128 but the model, initialised for N×1×8×8, holds 5×72", e.Message);
    }
}
