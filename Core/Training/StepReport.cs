namespace Functional.Training;

/// <summary>Where an epoch stands after one optimizer step, for progress displays and step logs.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The number of epochs asked for.</param>
/// <param name="Step">Steps done in this epoch, from 1.</param>
/// <param name="Steps">Steps in this epoch.</param>
/// <param name="GlobalStep">Steps done over all epochs.</param>
/// <param name="Loss">Mean training loss over the epoch's samples so far.</param>
/// <param name="Accuracy">Fraction of the epoch's samples so far that were classified correctly.</param>
/// <param name="LearningRate">The rate used by this step.</param>
/// <param name="ImagesPerSecond">Training samples per second since the epoch began.</param>
public sealed record StepReport(int Epoch, int Epochs, int Step, int Steps, long GlobalStep, double Loss, double Accuracy,
    double LearningRate, double ImagesPerSecond);
