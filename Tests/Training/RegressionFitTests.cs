using Functional.Data;
using Functional.Network;
using Functional.Random;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Training;

/// <summary>The loop beyond byte images and labels: float inputs of any shape, float targets, no test data.</summary>
public class RegressionFitTests
{
    // y = 2·x0 − x1 + 0.5·x2 + 1 over 256 points drawn from a seed.
    private static TensorDataset Linear(int n, long seed)
    {
        var x = Tensor.Uniform(Shape.Of(n, 3), Key.FromSeed(seed), -1f, 1f).ToArray();
        var y = Enumerable.Range(0, n).Select(i => 2f * x[3 * i] - x[3 * i + 1] + 0.5f * x[3 * i + 2] + 1f).ToArray();
        return TensorDataset.WithTargets(Shape.Of(3), x, Shape.Of(1), y);
    }

    [Fact]
    public void A_linear_regression_converges_through_Fit_with_MSE_and_no_test_data()
    {
        var train = TensorLoader.Over(Linear(256, 1), 32).Shuffled(Key.FromSeed(2));
        var model = Dense(1).Init(Shape.Of(3), seed: 0);
        var result = Trainer.Fit(model, Optimizer.Adam(0.05), train, test: null, new FitOptions(Epochs: 40, Seed: 3, Loss: Loss.Mse));

        Assert.True(result.History[0].TrainLoss > 0.3, $"the first epoch's loss {result.History[0].TrainLoss} is already small: the test would prove nothing");
        Assert.True(result.History[^1].TrainLoss < 1e-3, $"loss after 40 epochs: {result.History[^1].TrainLoss}");
        Assert.All(result.History, r => Assert.True(double.IsNaN(r.TestLoss) && double.IsNaN(r.TrainAccuracy)));
        var w = result.Model.Parameters.First(l => l.Path.EndsWith("weight")).Value.ToArray();
        Assert.Equal(2f, w[0], 0.05f);
        Assert.Equal(-1f, w[1], 0.05f);
        var held = Trainer.Evaluate(result.Model, TensorLoader.Over(Linear(64, 9), 64), Loss.Mse);
        Assert.True(held.Loss < 1e-3, $"held-out MSE {held.Loss}");
        Assert.True(double.IsNaN(held.Accuracy));
    }

    [Fact]
    public void Float_sequences_with_labels_train_a_1d_conv_classifier()
    {
        // Class 1: the sequence rises; class 0: it falls. 1×16 sequences, any float values.
        var key = Key.FromSeed(4);
        var n = 128;
        var x = new float[n * 16];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = i % 2;
            var slope = (labels[i] == 1 ? 1f : -1f) * (0.2f + key.Uniform(i));
            for (var t = 0; t < 16; t++) x[i * 16 + t] = slope * (t - 7.5f) / 8f;
        }
        var data = TensorDataset.WithLabels(Shape.Of(1, 16), x, labels, classes: 2);
        var model = Conv1d(4, 3).Then(ReLU).Then(Flatten).Then(Dense(2)).Init(Shape.Of(1, 16), seed: 1);
        var loader = TensorLoader.Over(data, 16).Shuffled(Key.FromSeed(5));
        var result = Trainer.Fit(model, Optimizer.Adam(0.01), loader, TensorLoader.Over(data, 64), new FitOptions(Epochs: 10, Seed: 1));
        Assert.Equal(1.0, result.History[^1].TestAccuracy);
    }

    [Fact]
    public void Early_stopping_without_test_data_and_mismatched_counts_are_clear_errors()
    {
        var train = TensorLoader.Over(Linear(32, 1), 8);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(Dense(1).Init(Shape.Of(3), 0), Optimizer.Adam(), train, null,
            new FitOptions(2, Loss: Loss.Mse, EarlyStopping: new EarlyStopping(1))));
        Assert.Contains("early stopping watches the test loss", e.Message);
        Assert.Contains("need 3 target values of 1, got 7", Assert.Throws<ShapeException>(() =>
            TensorDataset.WithTargets(Shape.Of(3), new float[9], Shape.Of(1), new float[7])).Message);
    }
}
