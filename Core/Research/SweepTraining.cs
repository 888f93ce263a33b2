using Functional.Data;
using Functional.Network;
using Functional.Training;
using Microsoft.Extensions.Logging;

namespace Functional.Research;

/// <summary>
/// The short training run a sweep gives each variant: <see cref="Trainer.Fit"/> with the same data, optimizer and
/// options for every variant, so the only difference between rows is the architecture.
/// </summary>
public static class SweepTraining
{
    /// <summary>
    /// A training function for <see cref="Sweep.Run"/>: fits each variant's initialised model and reports the
    /// test accuracy after the last epoch, the wall time of the training steps and the images per second.
    /// </summary>
    /// <param name="train">Training batches (shuffled and normalised as wanted), matching the sweep's input.</param>
    /// <param name="test">Test batches with the training normalisation.</param>
    /// <param name="optimizer">The optimizer every variant starts afresh with (its state is initialised per model).</param>
    /// <param name="observer">Builds a progress observer per variant (null for none).</param>
    /// <exception cref="NonFiniteTrainingException">A variant's training went NaN or infinite (thrown by the
    /// returned function); the message names the step and tensor.</exception>
    public static Func<Variant, Model, TrainingOutcome> Fit(DataLoader train, DataLoader test, Optimizer optimizer, FitOptions options,
        ILogger? logger = null, Func<Variant, ITrainingObserver?>? observer = null) => (variant, model) =>
    {
        WarmUp(model, optimizer, train, test, options);
        var result = Trainer.Fit(model, optimizer, train, test, options, logger, observer?.Invoke(variant));
        var seconds = result.History.Sum(e => e.Seconds);
        var samples = (double)train.SampleCount * result.History.Count;
        return new TrainingOutcome(result.History.Count, result.History[^1].TestAccuracy, seconds, samples / Math.Max(seconds, 1e-9));
    };

    /// <summary>
    /// One untimed training step and one prediction, results discarded: otherwise the first variant's images per
    /// second include the JIT compiling the training path and the backend filling its scratch pools, and it
    /// looks slower than the rest for no reason of its architecture.
    /// </summary>
    private static void WarmUp(Model model, Optimizer optimizer, DataLoader train, DataLoader test, FitOptions options)
    {
        var batch = train.Epoch(0).First();
        var step = model.LossAndGradients(options.Loss ?? Loss.CrossEntropy, batch.Images, batch.Labels, Random.Key.FromSeed(options.Seed));
        optimizer.Step(model.Parameters, step.Gradients, optimizer.Init(model));
        model.Predict(test.Epoch(0).First().Images);
    }
}
