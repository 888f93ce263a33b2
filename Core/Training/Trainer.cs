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
/// after every epoch the model is evaluated on the test data (when given), logged, and handed to the observer.
/// <see cref="Resume"/> continues a run from any epoch's <see cref="ResumePoint"/>, bit for bit.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="model"/> for <see cref="FitOptions.Epochs"/> epochs of <paramref name="train"/>.</summary>
    /// <param name="train">The training batches: a <see cref="DataLoader"/> (byte images, labels) or a
    /// <see cref="TensorLoader"/> (float inputs of any shape, labels or float targets for a loss such as <c>Loss.Mse</c>).</param>
    /// <param name="test">Evaluated after every epoch (inference mode; use the training normalisation), or null to
    /// train without a held-out set (the history's test columns are then NaN).</param>
    /// <param name="logger">Receives structured events: start, each epoch (Information), steps (Debug), early stop.</param>
    /// <exception cref="NonFiniteTrainingException">A loss, gradient, parameter or state went NaN or infinite; the
    /// message names the step and the first such tensor in layer order.</exception>
    /// <exception cref="ArgumentException">Early stopping is asked for without test data.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired (checked before each step).</exception>
    /// <exception cref="ArgumentException"><paramref name="train"/> yields no batch or <paramref name="test"/> is empty.</exception>
    public static FitResult Fit(Model model, Optimizer optimizer, IBatchSource train, IBatchSource? test, FitOptions options,
        ILogger? logger = null, ITrainingObserver? observer = null, CancellationToken cancellation = default) =>
        Run(new ResumePoint(model, optimizer.Init(model), [], options.Seed), optimizer, train, test, options, logger, observer, cancellation);

    /// <summary>
    /// Continues a fit from <paramref name="from"/> (a <see cref="FitResult.Last"/>, an observer's
    /// <see cref="ITrainingObserver.Resumable"/> point, or <c>TrainingCheckpoint.Load</c>) up to
    /// <see cref="FitOptions.Epochs"/> epochs in all. With the same optimizer (schedule included), data and options
    /// as the interrupted run, the result equals the uninterrupted run's bit for bit: the optimizer state carries the
    /// moments and the step (the schedule's position and the next dropout key), the epoch count the next shuffle,
    /// and the history continues from the point's records.
    /// </summary>
    /// <exception cref="ArgumentException">The point's seed differs from <see cref="FitOptions.Seed"/>, its optimizer
    /// state has other slots than <paramref name="optimizer"/> keeps, or it has already run the epochs asked for.</exception>
    /// <remarks>With early stopping, the best test loss and its epoch come from the history; when that epoch lies
    /// before the point, its model is not in the point, and an early stop returns the last model instead (and logs it).</remarks>
    public static FitResult Resume(ResumePoint from, Optimizer optimizer, IBatchSource train, IBatchSource? test, FitOptions options,
        ILogger? logger = null, ITrainingObserver? observer = null, CancellationToken cancellation = default)
    {
        if (from.Seed != options.Seed)
            throw new ArgumentException($"Trainer.Resume: the run used seed {from.Seed} but the options give {options.Seed}; the per-step keys would differ from the uninterrupted run's.", nameof(options));
        var slots = optimizer.Init(from.Model).Slots.Keys;
        if (!slots.SequenceEqual(from.OptimizerState.Slots.Keys))
            throw new ArgumentException($"Trainer.Resume: the saved optimizer state has the slots [{string.Join(", ", from.OptimizerState.Slots.Keys)}] but {optimizer} keeps [{string.Join(", ", slots)}]; resume with the run's optimizer.", nameof(optimizer));
        if (from.Epoch >= options.Epochs)
            throw new ArgumentException($"Trainer.Resume: the run has already trained {from.Epoch} epochs and the options ask for {options.Epochs} in all; ask for more.", nameof(options));
        return Run(from, optimizer, train, test, options, logger, observer, cancellation);
    }

    private static FitResult Run(ResumePoint from, Optimizer optimizer, IBatchSource train, IBatchSource? test, FitOptions options,
        ILogger? logger, ITrainingObserver? observer, CancellationToken cancellation)
    {
        options.Validate();
        if (options.EarlyStopping is not null && test is null)
            throw new ArgumentException("Trainer.Fit: early stopping watches the test loss; give test data or leave EarlyStopping out.", nameof(test));
        // Caught here, before the first step: an empty loader would "train" nothing and report an untrained model.
        if (train.BatchCount == 0)
            throw new ArgumentException($"Trainer.Fit: the training loader yields no batches ({Described(train)}); there is nothing to train on.", nameof(train));
        if (test is not null && test.SampleCount == 0)
            throw new ArgumentException("Trainer.Fit: the test set is empty, so no epoch could be evaluated; give test data with samples, or none.", nameof(test));
        logger ??= NullLogger.Instance;
        var loss = options.Loss ?? Loss.CrossEntropy;
        var (model, state) = (from.Model, from.OptimizerState);
        var parallel = options.Parallel;
        if (parallel is not null) model = parallel.Prepare(model);   // every rank starts from rank 0's model
        var keys = Key.FromSeed(options.Seed);
        var history = new List<EpochRecord>(from.History);
        var best = (Loss: double.PositiveInfinity, Model: (Model?)model, Epoch: 0);
        if (history.Count > 0 && history.MinBy(r => r.TestLoss) is { } b)
            best = (b.TestLoss, b.Epoch == from.Epoch ? model : null, b.Epoch);
        logger.LogInformation("Training {Parameters} parameters on {Context}: {Epochs} epochs of {Steps} steps (batch {BatchSize}, {Samples} samples), {Optimizer}",
            model.Parameters.ElementCount, model.Context, options.Epochs, train.BatchCount, train.BatchSize, train.SampleCount, optimizer);
        if (from.Epoch > 0)
            logger.LogInformation("Resuming after epoch {Epoch} at optimizer step {Step}", from.Epoch, state.Step);

        for (var epoch = from.Epoch + 1; epoch <= options.Epochs; epoch++)
        {
            observer?.EpochStarted(epoch, options.Epochs, train.BatchCount);
            var clock = Stopwatch.StartNew();
            var gen2 = GC.CollectionCount(2);
            double lossSum = 0, lr = 0;
            long correct = 0, seen = 0;
            var batchIndex = 0;
            var regression = false;   // float targets: scored by the loss alone, accuracy NaN
            foreach (var batch in train.Epoch(epoch - 1))
            {
                cancellation.ThrowIfCancellationRequested();
                batchIndex++;
                var step = state.Step;
                lr = optimizer.LearningRate(state);
                TrainingStep result;
                try
                {
                    result = batch.Targets is { } targets
                        ? model.LossAndGradients(loss, batch.Images, targets, keys.Split(step))
                        : model.LossAndGradients(loss, batch.Images, batch.Labels, keys.Split(step));
                }
                catch (NonFiniteLossException e) { throw NonFiniteChecks.Loss(step, epoch, batchIndex, model, e); }
                // Data-parallel: the ranks' mean gradient, and rank 0's buffers, so every rank takes the same step.
                var averaged = parallel?.AverageGradients(result.Gradients, model.Context) ?? result.Gradients;
                var stepState = parallel?.FromRoot(result.State, model.Context) ?? result.State;
                // Clipping, the update and the checks stay where the model lives; only one flag vector comes back.
                var gradients = options.ClipNorm is { } maxNorm ? GradientClipping.Clip(averaged, maxNorm) : averaged;
                (var parameters, state) = optimizer.Step(model.Parameters, gradients, state);
                // Regression has no classes to count: a zero takes the hit count's place in the one flag vector.
                var hits = batch.Targets is null ? Metrics.Hits(model.Context.Backend, result.Output, batch.Labels)
                    : new Tensor(Shape.Of(1), model.Context.Backend.Allocate(1));
                var batchCorrect = NonFiniteChecks.Step(step, epoch, batchIndex, model.Context.Backend, averaged, parameters, stepState, hits, lr);
                model = model.WithParameters(parameters).WithState(stepState);

                lossSum += (double)result.Loss * batch.Count;
                if (batch.Targets is null) correct += batchCorrect;
                else regression = true;
                seen += batch.Count;
                var accuracy = regression ? double.NaN : (double)correct / seen;
                var report = new StepReport(epoch, options.Epochs, batchIndex, train.BatchCount, state.Step, lossSum / seen,
                    accuracy, lr, seen / clock.Elapsed.TotalSeconds);
                observer?.StepFinished(report);
                if (options.LogEvery > 0 && (batchIndex % options.LogEvery == 0 || batchIndex == train.BatchCount))
                    logger.LogDebug("Epoch {Epoch}/{Epochs} step {Step}/{Steps}: loss {Loss:F4}, accuracy {Accuracy:F4}, {ImagesPerSecond:F0} images/s, lr {LearningRate:G4}",
                        epoch, options.Epochs, batchIndex, train.BatchCount, report.Loss, report.Accuracy, report.ImagesPerSecond, lr);
            }
            if (parallel is not null)
            {
                Span<double> counts = [lossSum, correct, seen];   // the epoch's figures over every rank's shard
                parallel.Sum(counts);
                (lossSum, correct, seen) = (counts[0], (long)counts[1], (long)counts[2]);
            }
            clock.Stop();
            gen2 = GC.CollectionCount(2) - gen2;

            var evaluation = test is null ? new Evaluation(double.NaN, double.NaN, 0) : Evaluate(model, test, loss);
            var trainAccuracy = regression ? double.NaN : (double)correct / Math.Max(seen, 1);
            var record = new EpochRecord(epoch, state.Step, lossSum / Math.Max(seen, 1), trainAccuracy,
                evaluation.Loss, evaluation.Accuracy, lr, clock.Elapsed.TotalSeconds, seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9), gen2);
            history.Add(record);
            logger.LogInformation("Epoch {Epoch}/{Epochs}: train loss {TrainLoss:F4}, accuracy {TrainAccuracy:F4}; test loss {TestLoss:F4}, accuracy {TestAccuracy:F4}; {ImagesPerSecond:F0} images/s, lr {LearningRate:G4}, {Seconds:F1} s, {Gen2Collections} gen-2 GCs",
                epoch, options.Epochs, record.TrainLoss, record.TrainAccuracy, record.TestLoss, record.TestAccuracy, record.ImagesPerSecond, lr, record.Seconds,
                record.Gen2Collections);
            observer?.EpochFinished([.. history], model);   // a copy: observers may keep it while the run goes on
            var point = new ResumePoint(model, state, [.. history], options.Seed);
            observer?.Resumable(point);

            if (options.EarlyStopping is not { } stop) continue;
            if (record.TestLoss < best.Loss - stop.MinDelta) best = (record.TestLoss, model, epoch);
            else if (epoch - best.Epoch >= stop.Patience)
            {
                logger.LogInformation("Early stop after epoch {Epoch}: the test loss has not improved for {Patience} epochs; keeping epoch {BestEpoch} (test loss {BestLoss:F4})",
                    epoch, stop.Patience, best.Epoch, best.Loss);
                if (best.Model is null)
                    logger.LogWarning("Epoch {BestEpoch}'s model predates the resumed checkpoint; returning the last model instead", best.Epoch);
                return new FitResult(best.Model ?? model, [.. history], state, StoppedEarly: epoch < options.Epochs) { Last = point };
            }
        }
        return new FitResult(model, [.. history], state, StoppedEarly: false) { Last = new ResumePoint(model, state, [.. history], options.Seed) };
    }

    /// <summary>Mean loss and accuracy of <paramref name="model"/> over every sample of <paramref name="data"/>, in
    /// inference mode (running statistics, no dropout).</summary>
    /// <remarks>Batches with float targets are scored by the loss alone; their accuracy is NaN.</remarks>
    public static Evaluation Evaluate(Model model, IBatchSource data, Loss? loss = null)
    {
        loss ??= Loss.CrossEntropy;
        double sum = 0;
        long correct = 0;
        var (seen, regression) = (0, false);
        foreach (var batch in data.Epoch(0))
        {
            var output = model.Predict(batch.Images);
            if (batch.Targets is { } targets)
            {
                sum += (double)loss.Compute(model.Context, output, targets).Value * batch.Count;
                regression = true;
            }
            else
            {
                sum += (double)loss.Compute(model.Context, output, batch.Labels).Value * batch.Count;
                correct += Metrics.Correct(output, batch.Labels);
            }
            seen += batch.Count;
        }
        return seen == 0 ? new Evaluation(double.NaN, double.NaN, 0)
            : new Evaluation(sum / seen, regression ? double.NaN : (double)correct / seen, seen);
    }

    /// <summary>"10 samples, batch size 64, incomplete batch dropped": why a source may yield no batch.</summary>
    private static string Described(IBatchSource source) => source is DataLoader d
        ? $"{d.Data.Count} samples, batch size {d.BatchSize}{(d.DropLast ? ", incomplete batch dropped" : "")}"
        : $"{source.SampleCount} samples, batch size {source.BatchSize}";
}
