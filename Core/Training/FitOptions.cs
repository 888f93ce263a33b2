using Functional.Network;

namespace Functional.Training;

/// <summary>How <see cref="Trainer.Fit"/> runs, beyond the model, optimizer and data.</summary>
/// <param name="Epochs">Passes over the training data (at most, with early stopping).</param>
/// <param name="Seed">Seeds the per-step keys that drive dropout; the same seed repeats a run exactly.</param>
/// <param name="Loss">The training and evaluation loss; cross-entropy when null.</param>
/// <param name="ClipNorm">When set, gradients are clipped to this global L2 norm before each step.</param>
/// <param name="EarlyStopping">When set, training stops once the test loss stops improving (needs test data).</param>
/// <param name="LogEvery">A debug-level step log every this many steps (0: none).</param>
/// <param name="Parallel">When set, this process is one rank of a data-parallel run: it starts from rank 0's model,
/// averages its gradients with the other ranks' before each step, and sums the epoch's counts over the ranks. The
/// training data is then this rank's shard (<see cref="Distributed.ShardedLoader"/>).</param>
public sealed record FitOptions(int Epochs, long Seed = 0, Loss? Loss = null, double? ClipNorm = null,
    EarlyStopping? EarlyStopping = null, int LogEvery = 100, Distributed.DataParallel? Parallel = null)
{
    /// <summary>Throws unless the options are usable.</summary>
    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Trainer.Fit: train for at least one epoch.");
        if (ClipNorm is { } c && !(c > 0)) throw new ArgumentOutOfRangeException(nameof(ClipNorm), c, "Trainer.Fit: the clipping norm must be positive.");
        if (LogEvery < 0) throw new ArgumentOutOfRangeException(nameof(LogEvery), LogEvery, "Trainer.Fit: LogEvery must be ≥ 0.");
        if (EarlyStopping is { Patience: < 1 } e) throw new ArgumentOutOfRangeException(nameof(EarlyStopping), e.Patience, "Trainer.Fit: early-stopping patience must be at least one epoch.");
    }
}

/// <summary>
/// Stop when the test loss has not improved by more than <paramref name="MinDelta"/> for
/// <paramref name="Patience"/> epochs in a row, and return the model of the best epoch (Keras' EarlyStopping with
/// <c>restore_best_weights</c>).
/// </summary>
public sealed record EarlyStopping(int Patience, double MinDelta = 0);

/// <summary>Hooks into a running fit: for progress displays and for writing artifacts after each epoch.</summary>
public interface ITrainingObserver
{
    /// <summary>An epoch of <paramref name="steps"/> optimizer steps begins (epochs count from 1).</summary>
    void EpochStarted(int epoch, int epochs, int steps);

    /// <summary>A step finished.</summary>
    void StepFinished(StepReport report);

    /// <summary>An epoch's steps are done and the model evaluated; <paramref name="history"/> ends with its record.</summary>
    void EpochFinished(IReadOnlyList<EpochRecord> history, Model model);

    /// <summary>After <see cref="EpochFinished"/>: the point the run could be resumed from (model, optimizer state,
    /// history, seed), for observers that write resumable checkpoints. Does nothing unless implemented.</summary>
    void Resumable(ResumePoint point) { }
}

/// <summary>What a fit returns: the trained model, one record per epoch, and the optimizer state to resume from.</summary>
/// <param name="Model">The model after the last epoch, or of the best epoch when early stopping ended the run.</param>
/// <param name="History">One record per epoch run, in order.</param>
/// <param name="OptimizerState">The optimizer state after the last step.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run before the last epoch.</param>
public sealed record FitResult(Model Model, IReadOnlyList<EpochRecord> History, OptimizerState OptimizerState, bool StoppedEarly)
{
    /// <summary>The point after the last epoch run (its model, not the best one after an early stop), to train further
    /// with <see cref="Trainer.Resume"/> or to save with <c>TrainingCheckpoint.Save</c>.</summary>
    public required ResumePoint Last { get; init; }
}

/// <summary>Mean loss and accuracy of a model over a dataset, in inference mode.</summary>
/// <param name="Accuracy">Fraction classified correctly; NaN for data with float targets (regression).</param>
public sealed record Evaluation(double Loss, double Accuracy, int Samples);
