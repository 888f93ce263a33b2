using Functional.Data;
using Functional.Network;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Training;

public class TrainerTests
{
    private static readonly Splits Fixture = FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small"));

    private static Model SmallNet(int seed = 3) =>
        Conv(4, 3, padding: 1).Then(ReLU).Then(MaxPool(4)).Then(Flatten).Then(Dense(10)).Init(Shape.Image(1, 28, 28), seed);

    private static (DataLoader Train, DataLoader Test) Loaders(int trainCount = 256)
    {
        var train = Fixture.Train.Take(trainCount);
        var normalization = Normalization.Of(train);
        return (DataLoader.Over(train, 32).Shuffled(Functional.Random.Key.FromSeed(1)).Normalized(normalization),
                DataLoader.Over(Fixture.Test, 100).Normalized(normalization));
    }

    [Fact]
    public void A_short_fit_on_the_fixture_lowers_the_test_loss_and_leaves_the_initial_model_untouched()
    {
        var model = SmallNet();
        var before = model.Parameters.Select(l => l.Value.ToArray()).ToList();
        var (train, test) = Loaders();
        var initial = Trainer.Evaluate(model, test);
        var observer = new Recorder();
        var result = Trainer.Fit(model, Optimizer.Adam(3e-3), train, test, new FitOptions(Epochs: 3, Seed: 5), observer: observer);

        Assert.Equal(3, result.History.Count);
        Assert.Equal([1, 2, 3], result.History.Select(r => r.Epoch));
        Assert.Equal(3 * train.BatchCount, result.OptimizerState.Step);
        Assert.True(result.History[^1].TestLoss < initial.Loss - 0.3, $"test loss {initial.Loss:F4} → {result.History[^1].TestLoss:F4}");
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, "training loss did not fall from epoch 1 to 3");
        Assert.True(result.History[^1].TestAccuracy > initial.Accuracy + 0.2, $"test accuracy {initial.Accuracy:F3} → {result.History[^1].TestAccuracy:F3}");
        Assert.Equal(Trainer.Evaluate(result.Model, test).Accuracy, result.History[^1].TestAccuracy);
        Assert.Equal(before, model.Parameters.Select(l => l.Value.ToArray()).ToList());
        Assert.Equal(3 * train.BatchCount, observer.Steps);
        Assert.Equal([1, 2, 3], observer.Epochs);
    }

    [Fact]
    public void The_same_seed_gives_the_same_history()
    {
        var (train, test) = Loaders(64);
        FitResult Run() => Trainer.Fit(SmallNet(), Optimizer.Sgd(0.05, momentum: 0.9), train, test, new FitOptions(Epochs: 1, Seed: 9));
        Assert.Equal(Run().History[0] with { Seconds = 0, ImagesPerSecond = 0, Gen2Collections = 0 },
            Run().History[0] with { Seconds = 0, ImagesPerSecond = 0, Gen2Collections = 0 });
    }

    [Fact]
    public void A_huge_learning_rate_stops_training_naming_the_step_and_where_it_went_non_finite()
    {
        var (train, test) = Loaders(128);
        var e = Assert.Throws<NonFiniteTrainingException>(() =>
            Trainer.Fit(SmallNet(), Optimizer.Sgd(1e30), train, test, new FitOptions(Epochs: 1)));
        Assert.Contains($"step {e.Step}", e.Message);
        Assert.True(e.Step >= 1, "the first step's loss is finite; the blow-up comes from the update");
        Assert.Contains("learning rate", e.Message);
        Assert.True(e.Path == "loss" || e.Path.EndsWith("weight") || e.Path.EndsWith("bias"), e.Path);
    }

    [Fact]
    public void A_NaN_injected_into_the_gradient_names_the_step_and_the_first_gradient_path()
    {
        var (train, test) = Loaders(128);
        var e = Assert.Throws<NonFiniteTrainingException>(() =>
            Trainer.Fit(SmallNet(), Optimizer.Adam(), train, test, new FitOptions(Epochs: 1, Loss: new PoisonedAt(2))));
        Assert.Equal(2, e.Step);
        Assert.Equal("0.weight", e.Path);
        Assert.Contains("step 2", e.Message);
        Assert.Contains("gradient '0.weight'", e.Message);
    }

    [Fact]
    public void Early_stopping_returns_the_best_epoch_once_the_test_loss_stops_improving()
    {
        var (train, test) = Loaders(64);
        // With a minimum improvement this large no epoch after the first counts as better, so patience 1 stops after epoch 2.
        var result = Trainer.Fit(SmallNet(), Optimizer.Sgd(0.05), train, test,
            new FitOptions(Epochs: 12, EarlyStopping: new EarlyStopping(Patience: 1, MinDelta: 1e9)));
        Assert.True(result.StoppedEarly);
        Assert.Equal(2, result.History.Count);
        Assert.Equal(result.History[0].TestLoss, Trainer.Evaluate(result.Model, test).Loss, 6);
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        var (train, test) = Loaders(32);
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(SmallNet(), Optimizer.Adam(), train, test, new FitOptions(Epochs: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trainer.Fit(SmallNet(), Optimizer.Adam(), train, test, new FitOptions(1, ClipNorm: -1)));
    }

    /// <summary>Cross-entropy whose gradient carries a NaN at one step (the call count), as a corrupt batch would.</summary>
    private sealed record PoisonedAt(int Step) : Loss
    {
        private int calls;

        public override Functional.Ops.LossResult Compute(ExecutionContext context, Tensor prediction, IReadOnlyList<int> labels)
        {
            var result = Functional.Ops.CrossEntropy.Compute(context, prediction, labels);
            if (calls++ != Step) return result;
            var g = result.Gradient.ToArray();
            g[^1] = float.NaN;
            return result with { Gradient = Tensor.FromArray(result.Gradient.Shape, g) };
        }
    }

    [Fact]
    public void Each_epoch_counts_the_full_garbage_collections_during_its_steps()
    {
        var (train, test) = Loaders(96);
        var result = Trainer.Fit(SmallNet(), Optimizer.Sgd(0.05), train, test, new FitOptions(Epochs: 2, Seed: 4), observer: new Collector());
        // The observer forces one full collection after every step; other tests running meanwhile can only add.
        Assert.All(result.History, r => Assert.True(r.Gen2Collections >= train.BatchCount,
            $"epoch {r.Epoch}: {r.Gen2Collections} gen-2 collections counted, {train.BatchCount} forced"));
    }

    private sealed class Collector : ITrainingObserver
    {
        public void EpochStarted(int epoch, int epochs, int steps) { }
        public void StepFinished(StepReport report) => GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        public void EpochFinished(IReadOnlyList<EpochRecord> history, Model model) { }
    }

    private sealed class Recorder : ITrainingObserver
    {
        public int Steps;
        public List<int> Epochs = [];
        public void EpochStarted(int epoch, int epochs, int steps) { }
        public void StepFinished(StepReport report) => Steps++;
        public void EpochFinished(IReadOnlyList<EpochRecord> history, Model model) => Epochs.Add(history[^1].Epoch);
    }
}
