using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Functional.Data;
using Functional.Network;
using Functional.Training;

namespace Functional.Io;

/// <summary>
/// A resumable training checkpoint: the model file (<see cref="ModelCheckpoint"/>, which PyTorch still loads with
/// <c>strict=True</c>) and beside it a training-state file, <c>model.training.safetensors</c> for
/// <c>model.safetensors</c>, holding every optimizer slot tree under <c>slot/path</c> (<c>exp_avg/0.weight</c>),
/// the optimizer step (the schedule's position and the next dropout key), the seed, and the history so far. Load
/// both and <see cref="Trainer.Resume"/> continues the run exactly as if it had never stopped.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The training-state format this build writes and the only one it reads.</summary>
    public const int Format = 1;

    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The training-state file that belongs to the model file <paramref name="modelPath"/>.</summary>
    public static string StatePath(string modelPath) => Path.Combine(Path.GetDirectoryName(modelPath) ?? "",
        $"{Path.GetFileNameWithoutExtension(modelPath)}.training.safetensors");

    /// <summary>Writes <paramref name="point"/>: the model to <paramref name="modelPath"/> (with its network, epoch,
    /// normalisation and <paramref name="metadata"/>) and the optimizer state, seed and history to
    /// <see cref="StatePath"/>. Each file is written atomically; the state first, and both record the epoch, so a
    /// crash between the two is detected on load rather than resumed from mismatched halves.</summary>
    public static void Save(string modelPath, ResumePoint point, Normalization? normalization = null, string? name = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var state = point.OptimizerState;
        var tensors = new OrderedDictionary<string, Tensor>();
        foreach (var (slot, tree) in state.Slots)
            foreach (var leaf in tree)
                tensors.Add($"{slot}/{leaf.Path}", leaf.Value);
        SafeTensors.Save(StatePath(modelPath), tensors, new Dictionary<string, string>
        {
            ["format"] = Format.ToString(CultureInfo.InvariantCulture),
            [ModelCheckpoint.EpochKey] = point.Epoch.ToString(CultureInfo.InvariantCulture),
            ["optimizer_step"] = state.Step.ToString(CultureInfo.InvariantCulture),
            ["optimizer_slots"] = string.Join(",", state.Slots.Keys),
            ["seed"] = point.Seed.ToString(CultureInfo.InvariantCulture),
            ["history"] = JsonSerializer.Serialize(point.History, Json),
        });
        ModelCheckpoint.Save(modelPath, point.Model, name, metadata, batchesTracked: state.Step, normalization, point.Epoch);
    }

    /// <summary>Reads the model (its network rebuilt from the file) and the training state beside it.</summary>
    /// <exception cref="CheckpointMetadataException">Either file lacks an entry resuming needs, or the two files are
    /// from different epochs; the message names the file and the entry.</exception>
    /// <exception cref="FileNotFoundException">One of the files is missing.</exception>
    public static (Checkpoint Checkpoint, ResumePoint Point) Load(string modelPath)
    {
        var checkpoint = ModelCheckpoint.Load(modelPath);
        return (checkpoint, LoadState(StatePath(modelPath), checkpoint));
    }

    /// <summary>Reads a training-state file for the model of <paramref name="checkpoint"/> (e.g. one loaded with an
    /// explicit architecture).</summary>
    /// <exception cref="CheckpointMetadataException">As <see cref="Load"/>.</exception>
    public static ResumePoint LoadState(string statePath, Checkpoint checkpoint)
    {
        if (!File.Exists(statePath))
            throw new FileNotFoundException($"{statePath}: there is no training state beside {checkpoint.File}, so the run cannot be resumed (it is written by TrainingCheckpoint.Save).", statePath);
        var file = SafeTensors.Load(statePath);
        var meta = new Checkpoint(checkpoint.Model, file.Metadata) { File = statePath };
        if (meta.Int("format") is not Format)
            throw new CheckpointMetadataException(statePath, "format", $"is training-state format '{file.Metadata.GetValueOrDefault("format") ?? "none"}'; this build reads format {Format}.");
        var epoch = meta.Int(ModelCheckpoint.EpochKey) ?? throw Missing(statePath, ModelCheckpoint.EpochKey);
        if (checkpoint.Epoch != epoch)
            throw new CheckpointMetadataException(statePath, ModelCheckpoint.EpochKey,
                $"holds the training state after epoch {epoch} but {checkpoint.File} holds the model after epoch {checkpoint.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "(none recorded)"}; a save was interrupted between the two files.");
        if (!long.TryParse(meta.Required("optimizer_step"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var step) || step < 0)
            throw new CheckpointMetadataException(statePath, "optimizer_step", $"metadata 'optimizer_step' is \"{file.Metadata["optimizer_step"]}\", not a step count.");
        if (!long.TryParse(meta.Required("seed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
            throw new CheckpointMetadataException(statePath, "seed", $"metadata 'seed' is \"{file.Metadata["seed"]}\", not a whole number.");
        var names = meta.Required("optimizer_slots").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var slots = names.ToImmutableSortedDictionary(n => n, n => Slot(statePath, file, n, checkpoint.Model.Parameters), StringComparer.Ordinal);
        List<EpochRecord> history;
        try { history = JsonSerializer.Deserialize<List<EpochRecord>>(meta.Required("history"), Json) ?? []; }
        catch (JsonException e) { throw new CheckpointMetadataException(statePath, "history", $"metadata 'history' is not a list of epoch records ({e.Message})."); }
        if (history.Count != epoch)
            throw new CheckpointMetadataException(statePath, "history", $"holds {history.Count} epoch records for {epoch} epochs.");
        return new ResumePoint(checkpoint.Model, new OptimizerState(step, slots), history, seed);
    }

    // One slot tree, with the parameters' paths in their order; a missing or mis-shaped tensor names itself.
    private static TensorTree Slot(string path, SafeTensorsFile file, string slot, TensorTree parameters) =>
        TensorTree.Of(parameters.Select(p =>
        {
            var name = $"{slot}/{p.Path}";
            if (!file.Tensors.TryGetValue(name, out var t))
                throw new CheckpointMetadataException(path, name, $"lacks the optimizer tensor '{name}' for the parameter '{p.Path}'.");
            if (t.Shape != p.Value.Shape)
                throw new CheckpointMetadataException(path, name, $"optimizer tensor '{name}' is {t.Shape} but the parameter is {p.Value.Shape}.");
            return new TensorLeaf(p.Path, t);
        }));

    private static CheckpointMetadataException Missing(string path, string key) =>
        new(path, key, $"records no '{key}' in its metadata.");
}
