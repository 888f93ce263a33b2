using System.Globalization;
using System.Text;
using Functional.Io;
using Functional.Network;

namespace Functional.Training;

/// <summary>
/// An <see cref="ITrainingObserver"/> that keeps a CSV file of the history: after every epoch it rewrites
/// <see cref="Path"/> atomically with a header and one row per epoch so far, so the file is never half a row and
/// a spreadsheet or pandas can read it while the run goes on. NaN marks a column the run does not measure (test
/// columns without test data, accuracy for regression).
/// </summary>
/// <example>
/// <code>Trainer.Fit(model, optimizer, train, test, options, observer: new CsvHistoryObserver("runs/history.csv"));</code>
/// </example>
public sealed class CsvHistoryObserver(string path) : ITrainingObserver
{
    /// <summary>The header row; columns are in this order.</summary>
    public const string Header = "epoch,steps,train_loss,train_accuracy,test_loss,test_accuracy,learning_rate,seconds,images_per_second,gen2_collections";

    /// <summary>The file rewritten after every epoch.</summary>
    public string Path { get; } = path;

    /// <inheritdoc />
    public void EpochStarted(int epoch, int epochs, int steps) { }

    /// <inheritdoc />
    public void StepFinished(StepReport report) { }

    /// <inheritdoc />
    public void EpochFinished(IReadOnlyList<EpochRecord> history, Model model) =>
        AtomicFile.WriteAllBytes(Path, Encoding.UTF8.GetBytes(Format(history)));

    /// <summary>The file's text: the header and one line per record, numbers in invariant culture (G7 for losses,
    /// accuracies and rates).</summary>
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
