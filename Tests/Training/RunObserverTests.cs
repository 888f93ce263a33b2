using Functional.Cli.Training;
using Functional.Data;
using Functional.Dsl.Zoo;
using Functional.Training;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Functional.Tests.Training;

public class RunObserverTests
{
    [Fact]
    public void Every_artifact_gets_a_snapshot_after_every_epoch_with_the_model_of_that_epoch()
    {
        var data = FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small"));
        var norm = Normalization.Of(data.Train);
        var train = DataLoader.Over(data.Train.Take(128), 64).Normalized(norm);
        var test = DataLoader.Over(data.Test, 100).Normalized(norm);
        var model = LeNet.Modern().Init(data.Train.SampleShape, seed: 1);
        var spy = new Spy();
        var dir = Directory.CreateTempSubdirectory("run-").FullName;
        try
        {
            using var progress = new PlainEpochProgress(TextWriter.Null);
            var observer = new RunObserver(dir, data.Test, norm, progress, [spy, new HistoryCsv()], NullLogger.Instance);
            var fit = Trainer.Fit(model, Optimizer.Adam(), train, test, new FitOptions(Epochs: 2), observer: observer);

            Assert.Equal([1, 2], spy.Snapshots.Select(s => s.Epoch));
            Assert.All(spy.Snapshots, s => Assert.Equal(2, s.Epochs));
            Assert.All(spy.Snapshots, s => Assert.Equal(s.Epoch, s.History.Count));
            Assert.All(spy.Snapshots, s => Assert.Equal(dir, s.Directory));
            Assert.Same(fit.Model, spy.Snapshots[^1].Model);
            Assert.NotSame(spy.Snapshots[0].Model, spy.Snapshots[1].Model);
            Assert.Equal(fit.History[0].TestAccuracy, Trainer.Evaluate(spy.Snapshots[0].Model, test).Accuracy);
            Assert.Equal(norm, spy.Snapshots[0].Normalization);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, HistoryCsv.FileName)).Length);
        }
        finally { Directory.Delete(dir, true); }
    }

    private sealed class Spy : IRunArtifact
    {
        public readonly List<RunSnapshot> Snapshots = [];
        public string Name => "spy";
        public void AfterEpoch(RunSnapshot snapshot) => Snapshots.Add(snapshot);
    }
}
