namespace Functional.Training;

/// <summary>
/// What one epoch of training did: the running averages over its training batches and the evaluation on the
/// held-out set afterwards. A training history is the list of these, one per epoch, in order.
/// </summary>
/// <param name="Epoch">The epoch number, counting from 1.</param>
/// <param name="Steps">Optimizer steps taken so far, over all epochs.</param>
/// <param name="TrainLoss">Mean loss over the epoch's training samples (measured in training mode, as it went).</param>
/// <param name="TrainAccuracy">Fraction of the epoch's training samples classified correctly, in [0, 1].</param>
/// <param name="TestLoss">Mean loss over the held-out set, in inference mode, after the epoch.</param>
/// <param name="TestAccuracy">Fraction of the held-out set classified correctly after the epoch.</param>
/// <param name="LearningRate">The rate of the epoch's last step.</param>
/// <param name="Seconds">Wall time of the epoch's training steps (evaluation excluded).</param>
/// <param name="ImagesPerSecond">Training samples per second over those steps.</param>
/// <param name="Gen2Collections">Full (generation-2) garbage collections during those steps, process-wide: a step's
/// tensors are garbage once it ends, and a rising count is the first sign that they outlive it.</param>
public sealed record EpochRecord(
    int Epoch, long Steps, double TrainLoss, double TrainAccuracy, double TestLoss, double TestAccuracy,
    double LearningRate, double Seconds, double ImagesPerSecond, int Gen2Collections);
