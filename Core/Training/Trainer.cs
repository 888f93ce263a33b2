using System.Diagnostics;
using Functional.Data;
using Functional.Network;
using Functional.Ops;
using Functional.Random;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Functional.Training;

/// <summary>
/// The training loop as a function: a model, an optimizer and data in; the trained model and its history out.
/// Every step is LossAndGradients → NaN checks → optional clipping → optimizer step, each producing new values;
/// after every epoch the model is evaluated on the test data, logged, and handed to the observer.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> for <see cref="FitOptions.Epochs"/> epochs of <paramref name="train"/>.</summary>
    /// <param name="test">Evaluated after every epoch (inference mode); use the training normalisation.</param>
    /// <param name="logger">Receives structured events: start, each epoch (Information), steps (Debug), early stop.</param>
    /// <exception cref="NonFiniteTrainingException">A loss, gradient, parameter or state went NaN or infinite; the
    /// message names the step and the first such tensor in layer order.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired (checked before each step).</exception>
    public static FitResult Fit(Model model, Optimizer optimizer, DataLoader train, DataLoader test, FitOptions options,
        ILogger? logger = null, ITrainingObserver? observer = null, CancellationToken cancellation = default)
    {
        options.Validate();
        logger ??= NullLogger.Instance;
        var loss = options.Loss ?? Loss.CrossEntropy;
        var state = optimizer.Init(model);
        var keys = Key.FromSeed(options.Seed);
        var history = new List<EpochRecord>();
        var best = (Loss: double.PositiveInfinity, Model: model, Epoch: 0);
        logger.LogInformation("Training {Parameters} parameters on {Context}: {Epochs} epochs of {Steps} steps (batch {BatchSize}, {Samples} samples), {Optimizer}",
            model.Parameters.ElementCount, model.Context, options.Epochs, train.BatchCount, train.BatchSize, train.SampleCount, optimizer);

        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            observer?.EpochStarted(epoch, options.Epochs, train.BatchCount);
            var clock = Stopwatch.StartNew();
            var gen2 = GC.CollectionCount(2);
            double lossSum = 0, lr = 0;
            long correct = 0, seen = 0;
            var batchIndex = 0;
            foreach (var batch in train.Epoch(epoch - 1))
            {
                cancellation.ThrowIfCancellationRequested();
                batchIndex++;
                var step = state.Step;
                lr = optimizer.LearningRate(state);
                TrainingStep result;
                try { result = model.LossAndGradients(loss, batch.Images, batch.Labels, keys.Split(step)); }
                catch (NonFiniteLossException e) { throw NonFiniteChecks.Loss(step, epoch, batchIndex, model, e); }
                // Clipping, the update and the checks stay where the model lives; only one flag vector comes back.
                var gradients = options.ClipNorm is { } maxNorm ? GradientClipping.Clip(result.Gradients, maxNorm) : result.Gradients;
                (var parameters, state) = optimizer.Step(model.Parameters, gradients, state);
                var hits = Metrics.Hits(model.Context.Backend, result.Output, batch.Labels);
                var batchCorrect = NonFiniteChecks.Step(step, epoch, batchIndex, model.Context.Backend, result.Gradients, parameters, result.State, hits, lr);
                model = model.WithParameters(parameters).WithState(result.State);

                lossSum += (double)result.Loss * batch.Count;
                correct += batchCorrect;
                seen += batch.Count;
                var report = new StepReport(epoch, options.Epochs, batchIndex, train.BatchCount, state.Step, lossSum / seen,
                    (double)correct / seen, lr, seen / clock.Elapsed.TotalSeconds);
                observer?.StepFinished(report);
                if (options.LogEvery > 0 && (batchIndex % options.LogEvery == 0 || batchIndex == train.BatchCount))
                    logger.LogDebug("Epoch {Epoch}/{Epochs} step {Step}/{Steps}: loss {Loss:F4}, accuracy {Accuracy:F4}, {ImagesPerSecond:F0} images/s, lr {LearningRate:G4}",
                        epoch, options.Epochs, batchIndex, train.BatchCount, report.Loss, report.Accuracy, report.ImagesPerSecond, lr);
            }
            clock.Stop();
            gen2 = GC.CollectionCount(2) - gen2;

            var evaluation = Evaluate(model, test, loss);
            var record = new EpochRecord(epoch, state.Step, lossSum / Math.Max(seen, 1), (double)correct / Math.Max(seen, 1),
                evaluation.Loss, evaluation.Accuracy, lr, clock.Elapsed.TotalSeconds, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), gen2);
            history.Add(record);
            logger.LogInformation("Epoch {Epoch}/{Epochs}: train loss {TrainLoss:F4}, accuracy {TrainAccuracy:F4}; test loss {TestLoss:F4}, accuracy {TestAccuracy:F4}; {ImagesPerSecond:F0} images/s, lr {LearningRate:G4}, {Seconds:F1} s, {Gen2Collections} gen-2 GCs",
                epoch, options.Epochs, record.TrainLoss, record.TrainAccuracy, record.TestLoss, record.TestAccuracy, record.ImagesPerSecond, lr, record.Seconds,
                record.Gen2Collections);
            observer?.EpochFinished([.. history], model);   // a copy: observers may keep it while the run goes on

            if (options.EarlyStopping is not { } stop) continue;
            if (record.TestLoss < best.Loss - stop.MinDelta) best = (record.TestLoss, model, epoch);
            else if (epoch - best.Epoch >= stop.Patience)
            {
                logger.LogInformation("Early stop after epoch {Epoch}: the test loss has not improved for {Patience} epochs; keeping epoch {BestEpoch} (test loss {BestLoss:F4})",
                    epoch, stop.Patience, best.Epoch, best.Loss);
                return new FitResult(best.Model, [.. history], state, StoppedEarly: epoch < options.Epochs);
            }
        }
        return new FitResult(model, [.. history], state, StoppedEarly: false);
    }

    /// <summary>Mean loss and accuracy of <paramref name="model"/> over every sample of <paramref name="data"/>, in
    /// inference mode (running statistics, no dropout).</summary>
    public static Evaluation Evaluate(Model model, DataLoader data, Loss? loss = null)
    {
        loss ??= Loss.CrossEntropy;
        double sum = 0;
        long correct = 0;
        var seen = 0;
        foreach (var batch in data.Epoch(0))
        {
            var output = model.Predict(batch.Images);
            sum += (double)loss.Compute(model.Context, output, batch.Labels).Value * batch.Count;
            correct += Metrics.Correct(output, batch.Labels);
            seen += batch.Count;
        }
        return seen == 0 ? new Evaluation(double.NaN, double.NaN, 0) : new Evaluation(sum / seen, (double)correct / seen, seen);
    }
}
