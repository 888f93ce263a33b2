using Functional.Io;
using Functional.Network;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

/// <summary>
/// PyTorch-trained LeNet-5 weights (Fixtures/interchange, written by tools/make_fixture.py) loaded into models
/// built with the DSL by path: the logits agree with PyTorch's to float32 rounding.
/// </summary>
public class NetworkTorchAgreementTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "interchange");

    private static Layer LeNet5(bool bn) => Sequential([
        Conv(6, 5, padding: 2), .. (bn ? [BatchNorm] : Array.Empty<Layer>()), ReLU, MaxPool(2),
        Conv(16, 5), .. (bn ? [BatchNorm] : Array.Empty<Layer>()), ReLU, MaxPool(2),
        Flatten, Dense(120), ReLU, Dense(84), ReLU, Dense(10)]);

    [Theory]
    [InlineData(false, "lenet5")]
    [InlineData(true, "lenet5-bn")]
    public void Pytorch_weights_loaded_by_path_give_pytorchs_logits(bool bn, string file)
    {
        var model = LeNet5(bn).Init(Shape.Image(1, 28, 28), seed: 0);
        var saved = SafeTensors.Load(Path.Combine(Dir, $"{file}.safetensors")).Tensors;
        var parameters = TensorTree.Of(model.Parameters.Paths.Select(p => new TensorLeaf(p, saved[p])));
        var state = TensorTree.Of(model.State.Paths.Select(p => new TensorLeaf(p, saved[p])));
        var loaded = model.WithParameters(parameters).WithState(state);

        var expected = SafeTensors.Load(Path.Combine(Dir, $"{file}-expected.safetensors")).Tensors;
        var logits = loaded.Predict(expected["inputs"]);
        Assert.True(logits.AllClose(expected["logits"], rtol: 1e-4f, atol: 1e-4f),
            $"max |Δ| = {logits.MaxAbsDiff(expected["logits"])} against PyTorch's logits");
        Assert.Equal(bn ? 4 : 0, loaded.State.Count);
    }
}
