using Functional.Cli.Training;
using Functional.Data;
using Functional.Training;
using static Functional.Dsl.Layers;
using Xunit;

namespace Functional.Tests.Training;

public class HistoryCsvTests
{
    private static readonly EpochRecord First = new(1, 938, 0.5123456789, 0.81, 0.45, 0.8412, 0.001, 12.3456, 4859.87, 3);
    private static readonly EpochRecord Second = First with { Epoch = 2, Steps = 1876, TestAccuracy = 0.87 };

    [Fact]
    public void Writes_one_row_per_epoch_in_invariant_numbers_and_rewrites_after_each_epoch()
    {
        var dir = Directory.CreateTempSubdirectory("history-").FullName;
        try
        {
            var test = Dataset.FromBytes(Shape.Of(1, 1, 1), [0], [0], 1);
            var model = Dense(1).Init(Shape.Of(1), seed: 1);
            var artifact = new HistoryCsv();
            artifact.AfterEpoch(new RunSnapshot(dir, 1, 2, [First], model, test, Normalization.Unit(1)));
            var path = Path.Combine(dir, HistoryCsv.FileName);
            Assert.Equal(2, File.ReadAllLines(path).Length);
            artifact.AfterEpoch(new RunSnapshot(dir, 2, 2, [First, Second], model, test, Normalization.Unit(1)));
            var lines = File.ReadAllLines(path);
            Assert.Equal(HistoryCsv.Header, lines[0]);
            Assert.Equal("1,938,0.5123457,0.81,0.45,0.8412,0.001,12.346,4859.9,3", lines[1]);
            Assert.StartsWith("2,1876,", lines[2]);
            Assert.Contains(",0.87,", lines[2]);
            Assert.Equal(lines[0].Split(',').Length, lines[2].Split(',').Length);
            Assert.Single(Directory.GetFiles(dir));   // no temporary file left behind
        }
        finally { Directory.Delete(dir, true); }
    }
}
