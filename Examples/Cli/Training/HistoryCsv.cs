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
    public const string Header = CsvHistoryObserver.Header;

    /// <inheritdoc />
    public string Name => FileName;

    /// <inheritdoc />
    public void AfterEpoch(RunSnapshot snapshot) =>
        AtomicFile.WriteAllBytes(Path.Combine(snapshot.Directory, FileName), Encoding.UTF8.GetBytes(Format(snapshot.History)));

    /// <summary>The file's text: the library's CSV history format (<see cref="CsvHistoryObserver.Format"/>).</summary>
    public static string Format(IEnumerable<EpochRecord> history) => CsvHistoryObserver.Format(history);
}
