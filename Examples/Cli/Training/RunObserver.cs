using Functional.Data;
using Functional.Network;
using Functional.Training;
using Microsoft.Extensions.Logging;

namespace Functional.Cli.Training;

/// <summary>
/// Connects a fit to the command line: drives the epoch progress display and, after every epoch, hands a
/// <see cref="RunSnapshot"/> to each artifact so the run folder is always current.
/// </summary>
internal sealed class RunObserver(string directory, Dataset test, Normalization normalization, EpochProgress progress,
    IReadOnlyList<IRunArtifact> artifacts, ILogger logger, TrainSettings? settings = null) : ITrainingObserver
{
    private int epochs;

    public void EpochStarted(int epoch, int epochs, int steps)
    {
        this.epochs = epochs;
        progress.Begin(epoch, epochs, steps);
    }

    public void StepFinished(StepReport report)
    {
        progress.Report(report);
        // Close the bar with the last step, so the evaluation's log line is not drawn through a live display.
        if (report.Step == report.Steps) progress.End();
    }

    public void EpochFinished(IReadOnlyList<EpochRecord> history, Model model) => progress.End();

    // Called right after EpochFinished with the same epoch's model and history, plus what resuming needs.
    public void Resumable(ResumePoint point)
    {
        var snapshot = new RunSnapshot(directory, point.Epoch, epochs, point.History, point.Model, test, normalization) { Resume = point, Settings = settings };
        foreach (var artifact in artifacts)
        {
            artifact.AfterEpoch(snapshot);
            logger.LogDebug("Wrote {Artifact} for epoch {Epoch}", artifact.Name, snapshot.Epoch);
        }
    }
}
