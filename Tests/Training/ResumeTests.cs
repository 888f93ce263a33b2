using Functional.Data;
using Functional.Io;
using Functional.Network;
using Functional.Random;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Training;

/// <summary>A run stopped after an epoch, saved, loaded and resumed equals the run that never stopped, bit for bit.</summary>
public sealed class ResumeTests : IDisposable
{
    private static readonly Splits Fixture = FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small"));
    private readonly string dir = Directory.CreateTempSubdirectory("resume").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // Batch norm (state), dropout (per-step keys), a shuffled loader (per-epoch permutation) and a one-cycle Adam
    // (moments and schedule position): every piece of state a resume must restore.
    private static Model Net() =>
        Conv(4, 3, padding: 1).Then(BatchNorm).Then(ReLU).Then(MaxPool(4)).Then(Flatten).Then(Dropout(0.3f)).Then(Dense(10))
            .Init(Shape.Image(1, 28, 28), seed: 3);

    private static (DataLoader Train, DataLoader Test, Normalization Norm) Data()
    {
        var train = Fixture.Train.Take(160);
        var norm = Normalization.Of(train);
        return (DataLoader.Over(train, 32).Shuffled(Key.FromSeed(8)).Normalized(norm), DataLoader.Over(Fixture.Test, 100).Normalized(norm), norm);
    }

    private static Optimizer Adam(DataLoader train) => Optimizer.Adam(Schedule.OneCycle(3e-3, totalSteps: 3 * train.BatchCount));

    private static int[] Bits(TensorTree tree) => tree.SelectMany(l => l.Value.ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static EpochRecord WithoutTimings(EpochRecord r) => r with { Seconds = 0, ImagesPerSecond = 0, Gen2Collections = 0 };

    [Fact]
    public void Three_epochs_straight_equal_one_epoch_saved_loaded_and_resumed_for_two()
    {
        var (train, test, norm) = Data();
        var options = new FitOptions(Epochs: 3, Seed: 11);
        var straight = Trainer.Fit(Net(), Adam(train), train, test, options);

        var first = Trainer.Fit(Net(), Adam(train), train, test, options with { Epochs = 1 });
        var path = Path.Combine(dir, "model.safetensors");
        TrainingCheckpoint.Save(path, first.Last, norm);
        var (checkpoint, point) = TrainingCheckpoint.Load(path);
        Assert.Equal(1, point.Epoch);
        Assert.Equal(norm.ToString(), checkpoint.Normalization.ToString());
        Assert.Equal(norm.Mean.ToArray(), checkpoint.Normalization.Mean.ToArray());
        var resumed = Trainer.Resume(point, Adam(train), train, test, options);

        Assert.Equal(Bits(straight.Model.Parameters), Bits(resumed.Model.Parameters));
        Assert.Equal(Bits(straight.Model.State), Bits(resumed.Model.State));
        Assert.Equal(straight.OptimizerState.Step, resumed.OptimizerState.Step);
        foreach (var slot in straight.OptimizerState.Slots.Keys)
            Assert.Equal(Bits(straight.OptimizerState[slot]), Bits(resumed.OptimizerState[slot]));
        Assert.Equal(straight.History.Select(WithoutTimings), resumed.History.Select(WithoutTimings));
        Assert.Equal(first.History[0], resumed.History[0]);   // the saved epoch's record comes back exactly, timings included
    }

    [Fact]
    public void Without_the_optimizer_state_a_restart_differs_so_the_test_above_can_fail()
    {
        var (train, test, _) = Data();
        var options = new FitOptions(Epochs: 2, Seed: 11);
        var straight = Trainer.Fit(Net(), Adam(train), train, test, options);
        var first = Trainer.Fit(Net(), Adam(train), train, test, options with { Epochs = 1 });
        var fresh = first.Last with { OptimizerState = Adam(train).Init(first.Model) };
        Assert.NotEqual(Bits(straight.Model.Parameters), Bits(Trainer.Resume(fresh, Adam(train), train, test, options).Model.Parameters));
    }

    [Fact]
    public void Resuming_with_another_seed_optimizer_or_no_epochs_left_is_refused()
    {
        var (train, test, _) = Data();
        var first = Trainer.Fit(Net(), Adam(train), train, test, new FitOptions(Epochs: 1, Seed: 11));
        Assert.Contains("seed 11 but the options give 12",
            Assert.Throws<ArgumentException>(() => Trainer.Resume(first.Last, Adam(train), train, test, new FitOptions(2, Seed: 12))).Message);
        Assert.Contains("slots [exp_avg, exp_avg_sq] but",
            Assert.Throws<ArgumentException>(() => Trainer.Resume(first.Last, Optimizer.Sgd(0.1), train, test, new FitOptions(2, Seed: 11))).Message);
        Assert.Contains("already trained 1 epochs",
            Assert.Throws<ArgumentException>(() => Trainer.Resume(first.Last, Adam(train), train, test, new FitOptions(1, Seed: 11))).Message);
    }

    [Fact]
    public void A_model_and_training_state_from_different_epochs_are_not_resumed()
    {
        var (train, test, norm) = Data();
        var path = Path.Combine(dir, "model.safetensors");
        var run = Trainer.Fit(Net(), Adam(train), train, test, new FitOptions(Epochs: 2, Seed: 11));
        TrainingCheckpoint.Save(path, run.Last with { History = [run.History[0]] }, norm);
        ModelCheckpoint.Save(path, run.Model, normalization: norm, epoch: 2);   // as if the state write of epoch 2 never happened
        var e = Assert.Throws<CheckpointMetadataException>(() => TrainingCheckpoint.Load(path));
        Assert.Contains("after epoch 1 but", e.Message);
        File.Delete(TrainingCheckpoint.StatePath(path));
        Assert.Throws<FileNotFoundException>(() => TrainingCheckpoint.Load(path));
    }
}
