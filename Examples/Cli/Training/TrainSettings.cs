using System.Text.Json.Serialization;
using Functional.Training;

namespace Functional.Cli.Training;

/// <summary>Everything <c>train</c> was asked to do, validated, with the main job's defaults.</summary>
internal sealed record TrainSettings(int Epochs, int BatchSize, double? Lr, string Optimizer, string Schedule, int Seed, string Out,
    int? Limit, string? Data, string Backend, double? Clip, int? Patience, int MaxImageSide = Functional.Data.Idx.DefaultMaxSide)
{
    /// <summary>A run folder's <c>model.safetensors</c> to continue from (<c>--resume</c>), or null for a fresh run.
    /// Not recorded: the checkpoint holds the settings, this only points at it.</summary>
    [JsonIgnore]
    public string? Resume { get; init; }

    /// <summary>Whether <c>--epochs</c> was given on the command line: with <see cref="Resume"/>, it extends (or
    /// ends) the resumed run at that many epochs in all instead of the recorded number.</summary>
    [JsonIgnore]
    public bool EpochsGiven { get; init; }

    /// <summary>Whether this process is one rank of an mpirun job (<c>--distributed</c>); <see cref="BatchSize"/> is
    /// then the per-rank batch. Not recorded: a resumed run says again how it runs.</summary>
    [JsonIgnore]
    public bool Distributed { get; init; }

    /// <summary>Batch norm over the global batch (<c>--sync-batchnorm</c>, with <see cref="Distributed"/>).</summary>
    [JsonIgnore]
    public bool SyncBatchNorm { get; init; }

    /// <summary>The main job's defaults: they reach ≥ 0.89 test accuracy with margin (docs/training.md).</summary>
    public static TrainSettings Default { get; } = new(8, 64, null, "adam", "one-cycle", 42, "runs", null, null, Training.Backend.DefaultName, null, null);

    /// <summary>The peak learning rate used when <c>--lr</c> is not given.</summary>
    public static double DefaultLr(string optimizer) => optimizer == "sgd" ? 0.05 : 3e-3;

    /// <summary>The learning rate in effect (given or default).</summary>
    public double LearningRate => Lr ?? DefaultLr(Optimizer);

    /// <summary>Throws a usage error for a value no run can use.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new UsageException($"--epochs {Epochs}: train for at least one epoch.");
        if (BatchSize < 1) throw new UsageException($"--batch-size {BatchSize}: a batch holds at least one image.");
        if (Limit is < 1) throw new UsageException($"--limit {Limit}: keep at least one training image.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new UsageException($"--lr {LearningRate}: the learning rate must be positive.");
        if (Clip is { } c && !(c > 0)) throw new UsageException($"--clip {c}: the norm must be positive.");
        if (Patience is < 1) throw new UsageException($"--patience {Patience}: wait at least one epoch.");
        if (SyncBatchNorm && !Distributed) throw new UsageException("--sync-batchnorm: batch statistics are synchronised across the ranks of a distributed run; add --distributed (or use --ranks N).");
        if (MaxImageSide < 1) throw new UsageException($"--max-image-side {MaxImageSide}: give at least 1.");
    }

    /// <summary>The optimizer with its schedule spread over <paramref name="totalSteps"/> steps.</summary>
    public Functional.Training.Optimizer CreateOptimizer(long totalSteps)
    {
        var lr = LearningRate;
        var schedule = Schedule switch
        {
            "one-cycle" => Functional.Training.Schedule.OneCycle(lr, Math.Max(totalSteps, 2)),
            "cosine" => Functional.Training.Schedule.Cosine(lr, totalSteps),
            "step" => Functional.Training.Schedule.StepDecay(lr, Math.Max((totalSteps + 2) / 3, 1), 0.1),
            _ => Functional.Training.Schedule.Constant(lr),
        };
        return Optimizer switch
        {
            "sgd" => Functional.Training.Optimizer.Sgd(schedule, momentum: 0.9, nesterov: true),
            "adamw" => Functional.Training.Optimizer.AdamW(schedule),
            _ => Functional.Training.Optimizer.Adam(schedule),
        };
    }
}
