namespace Functional.Data;

/// <summary>
/// What <c>Trainer.Fit</c> and <c>Trainer.Evaluate</c> read: a fixed number of batches per epoch, the same batches
/// for the same epoch every time it is asked (so a run can be repeated, or resumed at an epoch, exactly).
/// <see cref="DataLoader"/> serves byte images with class labels; <see cref="TensorLoader"/> serves float inputs
/// of any shape with class labels or float targets.
/// </summary>
public interface IBatchSource
{
    /// <summary>Samples per batch (the last batch may hold fewer).</summary>
    int BatchSize { get; }

    /// <summary>Batches per epoch.</summary>
    int BatchCount { get; }

    /// <summary>Samples per epoch.</summary>
    int SampleCount { get; }

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based), a pure function of the epoch.</summary>
    IEnumerable<Batch> Epoch(int epoch);
}
