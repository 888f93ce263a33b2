using Functional.Network;

namespace Functional.Training;

/// <summary>
/// Where a fit stands after a whole epoch: everything <see cref="Trainer.Resume"/> needs to continue it so that
/// the result equals an uninterrupted run bit for bit. The model carries the parameters and the batch-norm state;
/// the optimizer state carries every moment tree and the step count, which is also the schedule's position and
/// the index of the next step's dropout key; the epoch count is where the data shuffle continues.
/// </summary>
/// <param name="Model">The model after the epoch.</param>
/// <param name="OptimizerState">The optimizer state after the epoch's last step.</param>
/// <param name="History">The records of every epoch so far, oldest first.</param>
/// <param name="Seed">The <see cref="FitOptions.Seed"/> of the run, whose keys a resumed run must keep drawing from.</param>
public sealed record ResumePoint(Model Model, OptimizerState OptimizerState, IReadOnlyList<EpochRecord> History, long Seed)
{
    /// <summary>Epochs finished (0 before the first).</summary>
    public int Epoch => History.Count == 0 ? 0 : History[^1].Epoch;
}
