using System.Diagnostics;
using System.Globalization;
using Functional.Cli.Checkpoints;
using Functional.Cli.Pictures;
using Functional.Data;
using Functional.Io;
using Functional.Dsl.Zoo;
using Functional.Random;
using Functional.Training;
using Microsoft.Extensions.Logging;

namespace Functional.Cli.Training;

/// <summary>
/// One run of the main job: locate (or install) the data, build LeNet-5, fit it with progress and per-epoch
/// artifacts in a fresh run folder, then print the folder and the test accuracy as the last stdout line.
/// </summary>
internal static class TrainRun
{
    /// <summary>Runs <paramref name="settings"/>; results go to <paramref name="stdout"/>, everything else to <paramref name="stderr"/>.</summary>
    /// <returns>0 on success, 1 when training diverged (non-finite values).</returns>
    /// <exception cref="UsageException">A flag, the data or the output folder cannot be used (reported as exit 2).</exception>
    /// <exception cref="IOException">A file cannot be read or written (e.g. a full disk); the message names it.</exception>
    public static int Execute(TrainSettings settings, TextWriter stdout, TextWriter stderr) => Execute(settings, stdout, stderr, null);

    /// <summary>The test seam: <paramref name="wrapArtifact"/> can replace each artifact, e.g. by one that fails
    /// the way a full disk does.</summary>
    internal static int Execute(TrainSettings settings, TextWriter stdout, TextWriter stderr, Func<IRunArtifact, IRunArtifact>? wrapArtifact)
    {
        settings.Validate();
        // One rank of an mpirun job: joined first, so that '--distributed' outside mpirun fails before any work.
        var rank = settings.Distributed ? DistributedRun.Join() : null;
        try
        {
            return Execute(settings, stdout, stderr, wrapArtifact, rank);
        }
        catch (Exception e) when (rank is not null && CliErrors.IsUserError(e))
        {
            // The same one-line error, saying which rank met it (a file missing on one machine, say).
            throw new UsageException($"{rank.Label}: {CliErrors.OneLine(e.Message)}");
        }
    }

    private static int Execute(TrainSettings settings, TextWriter stdout, TextWriter stderr, Func<IRunArtifact, IRunArtifact>? wrapArtifact, DistributedRun? rank)
    {
        var isRoot = rank?.IsRoot ?? true;
        // A resumed run takes the interrupted run's settings (only the data folder, backend and epochs may differ) and folder.
        var resumed = settings.Resume is { } from ? RunCheckpoint.LoadResumable(from) : default;
        if (resumed.Point is not null)
            settings = resumed.Settings with
            {
                Data = settings.Data, Backend = settings.Backend, Resume = settings.Resume,
                Epochs = settings.EpochsGiven ? settings.Epochs : resumed.Settings.Epochs,
                Distributed = settings.Distributed, SyncBatchNorm = settings.SyncBatchNorm,
            };
        var context = rank is null ? Backend.Create(settings.Backend) : DistributedRun.Context(settings.Backend);
        if (isRoot) RunFolders.PrepareRoot(settings.Out);   // before minutes of loading: an unusable --out fails now
        // Rank 0 alone installs a missing dataset; the others look once it has.
        var dataDir = isRoot ? DatasetLocator.ForThisMachine(stderr).Locate(settings.Data) : null;
        rank?.World.Barrier();
        dataDir ??= DatasetLocator.ForThisMachine(stderr).Locate(settings.Data);
        double accuracy;
        string runDir;
        var factory = Logging.Create(prefix: rank?.Label);
        try
        {
            var logger = factory.CreateLogger("train");
            if (rank is not null)
                logger.LogInformation("Rank {Rank} of {Ranks} (pid {Pid}) on {Context}; batch {Batch} per rank, {Global} per step",
                    rank.Rank, rank.World.Size, Environment.ProcessId, context, settings.BatchSize, settings.BatchSize * rank.World.Size);
            foreach (var stale in isRoot ? RunFolders.RemoveStaleTemporaryFiles(settings.Out) : [])
                logger.LogInformation("Removed {File}, left by an interrupted save", stale);
            var clock = Stopwatch.StartNew();
            // The epoch lines count the steps' gen-2 collections; this total adds loading, evaluation and artifacts.
            var gen2 = GC.CollectionCount(2);
            var splits = FashionMnist.Load(dataDir, settings.Limit, settings.MaxImageSide);
            logger.LogInformation("Loaded {Train} training and {Test} test images from {Directory} in {Seconds:F1} s",
                splits.Train.Count, splits.Test.Count, dataDir, clock.Elapsed.TotalSeconds);

            var normalization = resumed.Point is null ? Normalization.Of(splits.Train) : resumed.Checkpoint.Normalization;
            var key = Key.FromSeed(settings.Seed);
            var loader = DataLoader.Over(splits.Train, settings.BatchSize).Shuffled(key.Split(1)).Normalized(normalization);
            IBatchSource train = rank is null ? loader : new Functional.Distributed.ShardedLoader(loader, rank.Rank, rank.World.Size);
            var test = DataLoader.Over(splits.Test, 500).Normalized(normalization);
            var model = LeNet.Modern(classes: splits.Train.Classes).Init(splits.Train.SampleShape, settings.Seed, context);
            var optimizer = settings.CreateOptimizer((long)train.BatchCount * settings.Epochs);

            runDir = resumed.Point is not null ? Path.GetDirectoryName(Path.GetFullPath(settings.Resume!))!
                : isRoot ? RunFolders.Create(settings.Out) : "";
            if (isRoot) logger.LogInformation("Run folder {RunDirectory}", runDir);
            using var progress = EpochProgress.For(!isRoot ? TextWriter.Null : rank is null ? stderr : new LinePrefixWriter(stderr, rank.Label + " "));
            // history.csv last: it never lists an epoch whose checkpoint and pictures were not written
            // (docs/checkpoints-and-pictures.md, "Order of writing").
            IRunArtifact[] artifacts = [new CheckpointArtifact(), new PicturesArtifact(), new HistoryCsv()];
            if (wrapArtifact is not null) artifacts = [.. artifacts.Select(wrapArtifact)];
            var observer = isRoot ? new RunObserver(runDir, splits.Test, normalization, progress, artifacts, logger, settings) : null;
            var options = new FitOptions(settings.Epochs, settings.Seed, ClipNorm: settings.Clip,
                EarlyStopping: settings.Patience is { } p ? new EarlyStopping(p) : null, Parallel: rank?.Parallel(settings.SyncBatchNorm));
            FitResult result;
            try
            {
                result = resumed.Point is { } point
                    ? Trainer.Resume(point with { Model = point.Model.WithContext(context) }, optimizer, train, test, options, logger, observer)
                    : Trainer.Fit(model, optimizer, train, test, options, logger, observer);
            }
            catch (ArgumentException e) when (resumed.Point is not null)
            {
                progress.End();
                throw new UsageException($"{settings.Resume}: {e.Message}");
            }
            catch (Exception e)
            {
                progress.End();
                if (isRoot) RunFolders.RemoveIfNoEpoch(runDir);   // nothing worth keeping
                // A loss that overflows while evaluating an epoch (huge but finite weights) is a divergence too.
                if (e is not (NonFiniteTrainingException or Functional.Ops.NonFiniteLossException)) throw;
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
            // After an early stop the returned model is the best epoch's, not the last one's.
            accuracy = result.StoppedEarly ? Trainer.Evaluate(result.Model, test).Accuracy : result.History[^1].TestAccuracy;
            if (options.Parallel is { } parallel)
                logger.LogInformation("Model sha256 {Digest}, identical on all {Ranks} ranks; gradient allreduce {Seconds:F2} s in all ({Buckets} buckets per step)",
                    parallel.VerifyIdentical(result.Model), rank!.World.Size, parallel.AllreduceTime.TotalSeconds, parallel.BucketCount);
            if (result.StoppedEarly && isRoot)
            {
                // The checkpoint holds the last epoch's model; the run's result is the restored best one (lowest test loss).
                var best = result.History.MinBy(r => r.TestLoss)!;
                RunCheckpoint.Save(runDir, result.Model, normalization, best.Epoch, accuracy, splits.Test.Count, best.Steps);
                // The run is over: its training state belongs to the last epoch, not to this model, so it cannot resume.
                File.Delete(TrainingCheckpoint.StatePath(Path.Combine(runDir, RunCheckpoint.FileName)));
            }
            if (isRoot)
                logger.LogInformation("Finished {Epochs} epochs in {Seconds:F1} s ({Gen2Collections} gen-2 GCs in all); the run folder is {RunDirectory}",
                    result.History.Count, clock.Elapsed.TotalSeconds, GC.CollectionCount(2) - gen2, runDir);
        }
        finally
        {
            factory.Dispose();   // flushes the console logger, so its last lines come before the result
        }
        stderr.Flush();
        rank?.Dispose();
        if (!isRoot) return 0;
        stdout.WriteLine($"run folder: {runDir}");
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"test accuracy: {accuracy:F4}"));
        return 0;
    }
}
