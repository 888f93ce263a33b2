using Functional.Cli.Training;
using Functional.Data;
using Functional.Network;
using Functional.Random;
using Functional.Research;
using Functional.Training;
using Microsoft.Extensions.Logging;

namespace Functional.Cli.Research;

/// <summary>The short training run of each variant: Adam with a one-cycle schedule (the main job's), batches shuffled
/// from the seed, and an epoch progress display per variant.</summary>
internal static class VariantTraining
{
    /// <summary>The one-cycle peak learning rate.</summary>
    public const double PeakLearningRate = 3e-3;

    /// <summary>Trains a variant's initialised model for <see cref="VariantsSettings.Epochs"/> epochs and reports the outcome.</summary>
    public static Func<Variant, Model, TrainingOutcome> Create(VariantsSettings settings, Splits data, Normalization normalization, ILogger logger, TextWriter progress)
    {
        var train = DataLoader.Over(data.Train, settings.BatchSize).Shuffled(Key.FromSeed(settings.Seed).Split(1)).Normalized(normalization);
        var test = DataLoader.Over(data.Test, 500).Normalized(normalization);
        var optimizer = Optimizer.Adam(Schedule.OneCycle(PeakLearningRate, Math.Max((long)train.BatchCount * settings.Epochs, 2)));
        return SweepTraining.Fit(train, test, optimizer, new FitOptions(settings.Epochs, settings.Seed), logger,
            _ => new ProgressObserver(EpochProgress.For(progress)));
    }

    /// <summary>Drives an epoch bar (or plain lines) from a fit.</summary>
    private sealed class ProgressObserver(EpochProgress progress) : ITrainingObserver
    {
        public void EpochStarted(int epoch, int epochs, int steps) => progress.Begin(epoch, epochs, steps);

        public void StepFinished(StepReport report)
        {
            progress.Report(report);
            if (report.Step == report.Steps) progress.End();   // close the bar before the evaluation logs its line
        }

        public void EpochFinished(IReadOnlyList<EpochRecord> history, Model model) => progress.End();
    }
}
