using System.Globalization;
using System.Text;
using Functional.Io;
using Functional.Training;

namespace Functional.Cli.Training;

/// <summary>
/// <c>history.csv</c>: one row per finished epoch with the training and test loss and accuracy, learning rate,
/// time and throughput. The whole file is rewritten atomically after each epoch, so it is never half a row.
/// </summary>
public sealed class HistoryCsv : IRunArtifact
{
    /// <summary>The file name inside the run folder.</summary>
    public const string FileName = "history.csv";

    /// <summary>The header row; columns are in this order.</summary>
    public const string Header = "epoch,steps,train_loss,train_accuracy,test_loss,test_accuracy,learning_rate,seconds,images_per_second,gen2_collections";

    /// <inheritdoc />
    public string Name => FileName;

    /// <inheritdoc />
    public void AfterEpoch(RunSnapshot snapshot) =>
        AtomicFile.WriteAllBytes(Path.Combine(snapshot.Directory, FileName), Encoding.UTF8.GetBytes(Format(snapshot.History)));

    /// <summary>The file's text: the header and one line per record, numbers in invariant culture.</summary>
    public static string Format(IEnumerable<EpochRecord> history)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in history)
            text.Append(string.Join(',',
                r.Epoch.ToString(CultureInfo.InvariantCulture), r.Steps.ToString(CultureInfo.InvariantCulture),
                Number(r.TrainLoss), Number(r.TrainAccuracy), Number(r.TestLoss), Number(r.TestAccuracy),
                Number(r.LearningRate), r.Seconds.ToString("F3", CultureInfo.InvariantCulture),
                r.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture), r.Gen2Collections.ToString(CultureInfo.InvariantCulture))).Append('\n');
        return text.ToString();
    }

    private static string Number(double x) => x.ToString("G7", CultureInfo.InvariantCulture);
}
