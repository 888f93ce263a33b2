using System.Globalization;
using Functional.Data;
using Functional.Random;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Training;

public sealed class CsvHistoryObserverTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("csv-history").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_fit_leaves_one_row_per_epoch_with_the_historys_numbers()
    {
        var fixture = FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small"));
        var norm = Normalization.Of(fixture.Train);
        var train = DataLoader.Over(fixture.Train.Take(96), 32).Shuffled(Key.FromSeed(1)).Normalized(norm);
        var test = DataLoader.Over(fixture.Test, 100).Normalized(norm);
        var path = Path.Combine(dir, "logs", "history.csv");
        var model = Conv(2, 3).Then(ReLU).Then(MaxPool(4)).Then(Flatten).Then(Dense(10)).Init(Shape.Image(1, 28, 28), 0);

        var result = Trainer.Fit(model, Optimizer.Sgd(0.05), train, test, new FitOptions(Epochs: 3), observer: new CsvHistoryObserver(path));

        var lines = File.ReadAllLines(path);
        Assert.Equal(CsvHistoryObserver.Header, lines[0]);
        Assert.Equal(4, lines.Length);
        for (var e = 0; e < 3; e++)
        {
            var cells = lines[e + 1].Split(',');
            Assert.Equal((e + 1).ToString(CultureInfo.InvariantCulture), cells[0]);
            Assert.Equal(((e + 1) * 3).ToString(CultureInfo.InvariantCulture), cells[1]);
            Assert.Equal(result.History[e].TestAccuracy.ToString("G7", CultureInfo.InvariantCulture), cells[5]);
            Assert.Equal(result.History[e].TrainLoss.ToString("G7", CultureInfo.InvariantCulture), cells[2]);
        }
    }

    [Fact]
    public void Columns_a_run_does_not_measure_read_NaN()
    {
        var record = new EpochRecord(1, 4, 0.5, double.NaN, double.NaN, double.NaN, 0.01, 1.5, 100, 0);
        Assert.Equal("1,4,0.5,NaN,NaN,NaN,0.01,1.500,100.0,0", CsvHistoryObserver.Format([record]).Split('\n')[1]);
    }
}
