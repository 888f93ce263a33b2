using Functional.Data;
using Functional.Functions;
using Functional.Io;
using Functional.Network;
using Functional.Network.Functions;
using Functional.Random;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Functions;

/// <summary>A custom layer and a custom loss, each a few lines of tensor functions, trained through Fit.</summary>
public class CustomLayerTrainingTests
{
    // y = sin(x0) + x1·x2 over points drawn from a seed: a curve a small net with a learnt activation can fit.
    private static TensorDataset Curve(int n, long seed)
    {
        var x = Tensor.Uniform(Shape.Of(n, 3), Key.FromSeed(seed), -1f, 1f).ToArray();
        var y = Enumerable.Range(0, n).Select(i => MathF.Sin(2 * x[3 * i]) + x[3 * i + 1] * x[3 * i + 2]).ToArray();
        return TensorDataset.WithTargets(Shape.Of(3), x, Shape.Of(1), y);
    }

    // The custom layer: Swish with a learnt slope per feature, x·σ(β·x); the custom loss: mean squared error.
    private static readonly Layer Swish = Lambda("Swish(β)", (x, p) => x * Fn.Sigmoid(x * p["beta"]),
        Param.Constant("beta", s => s, 1f));
    private static readonly Loss SquaredError = CustomLoss.Of("SquaredError", (prediction, target) => Fn.Mean(Fn.Square(prediction - target)));

    [Fact]
    public void A_lambda_layer_and_a_custom_loss_train_through_Fit()
    {
        var net = Dense(16).Then(Swish).Then(Dense(1));
        var model = net.Init(Shape.Of(3), seed: 1);
        var result = Trainer.Fit(model, Optimizer.Adam(0.02), TensorLoader.Over(Curve(256, 2), 32).Shuffled(Key.FromSeed(3)), null,
            new FitOptions(Epochs: 30, Seed: 4, Loss: SquaredError));

        Assert.True(result.History[0].TrainLoss > 0.1, $"the first epoch's loss {result.History[0].TrainLoss} is already small");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss / 10,
            $"loss after 30 epochs: {result.History[^1].TrainLoss}, after the first: {result.History[0].TrainLoss}");
        var beta = result.Model.Parameters["1.beta"].ToArray();
        Assert.Equal(16, beta.Length);
        Assert.Contains(beta, b => MathF.Abs(b - 1f) > 1e-3f);   // the slope was trained, not left at its start
    }

    [Fact]
    public void The_custom_loss_equals_the_built_in_mse_in_value_and_gradient()
    {
        var prediction = Tensor.Uniform(Shape.Of(5, 2), Key.FromSeed(7), -2f, 2f);
        var target = Tensor.Uniform(Shape.Of(5, 2), Key.FromSeed(8), -2f, 2f);
        var ctx = Backends.ExecutionContext.Reference;
        var (mine, builtIn) = (SquaredError.Compute(ctx, prediction, target), Loss.Mse.Compute(ctx, prediction, target));
        Assert.Equal(builtIn.Value, mine.Value, 1e-6f);
        Assert.True(mine.Gradient.AllClose(builtIn.Gradient), $"max |Δ| {mine.Gradient.MaxAbsDiff(builtIn.Gradient)}");
    }

    [Fact]
    public void A_lambda_layer_counts_its_parameters_and_mult_adds_and_round_trips_a_checkpoint()
    {
        var mix = Lambda("Mix", (x, p) => Fn.Matmul(x, p["w"]) + p["b"],
            Param.Uniform("w", s => Shape.Of(s[0], 4)), Param.Constant("b", _ => Shape.Of(4), 0f));
        var net = Dense(6).Then(Residual(Identity)).Then(mix);
        var row = net.Trace(Shape.Of(3)).Last();
        Assert.Equal(6 * 4 + 4, row.Parameters);
        Assert.Equal(6 * 4, row.MultAdds);
        Assert.Equal(Shape.Of(4), row.Output);

        var model = net.Init(Shape.Of(3), seed: 5);
        var path = Path.Combine(Path.GetTempPath(), $"lambda-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelCheckpoint.Save(path, model);
            var loaded = ModelCheckpoint.Load(path, net).Model;
            var x = Tensor.Uniform(Shape.Of(2, 3), Key.FromSeed(6), -1f, 1f);
            Assert.Equal(model.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        }
        finally { File.Delete(path); }
    }
}
