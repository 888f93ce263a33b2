using System.Globalization;
using System.Text.Json;
using Functional.Cli.Training;
using Functional.Data;
using Functional.Io;
using Functional.Network;
using Functional.Training;

namespace Functional.Cli.Checkpoints;

/// <summary>A run's checkpoint read back: the model, how its inputs were normalised, and what the run recorded.</summary>
/// <param name="Model">The model with the saved parameters and state.</param>
/// <param name="Normalization">The normalisation the run applied to its inputs.</param>
/// <param name="Architecture">The architecture's name.</param>
/// <param name="Epoch">The epoch after which it was saved, when recorded.</param>
/// <param name="TestAccuracy">The test accuracy the run reported for that epoch, when recorded.</param>
/// <param name="TestSamples">How many test samples that accuracy was measured on, when recorded.</param>
internal sealed record RunModel(Model Model, Normalization Normalization, string Architecture, int? Epoch, double? TestAccuracy, int? TestSamples);

/// <summary>
/// The checkpoint a training run keeps in its folder (<c>model.safetensors</c>): the model under PyTorch's names,
/// plus the metadata needed to evaluate it again exactly: the network's description, input normalisation, epoch,
/// and the test accuracy the run reported. Beside it, <c>model.training.safetensors</c> holds what
/// <c>train --resume</c> needs (<see cref="TrainingCheckpoint"/>) and the run's settings.
/// </summary>
internal static class RunCheckpoint
{
    /// <summary>The file name inside a run folder.</summary>
    public const string FileName = "model.safetensors";

    /// <summary>Metadata key: the run's <see cref="TrainSettings"/> as JSON, restored by <c>train --resume</c>.</summary>
    public const string SettingsKey = "train_settings";

    /// <summary>Writes (atomically, replacing the previous epoch's) <c>model.safetensors</c> in <paramref name="directory"/>,
    /// and the training state beside it when <paramref name="resume"/> is given; returns the model file's path.</summary>
    /// <param name="steps">Optimizer steps so far: the batches any batch norm's statistics have seen.</param>
    public static string Save(string directory, Model model, Normalization normalization, int epoch, double testAccuracy, int testSamples, long steps,
        ResumePoint? resume = null, TrainSettings? settings = null)
    {
        var path = Path.Combine(directory, FileName);
        var metadata = new Dictionary<string, string>
        {
            ["test_accuracy"] = testAccuracy.ToString("R", CultureInfo.InvariantCulture),
            ["test_samples"] = testSamples.ToString(CultureInfo.InvariantCulture),
        };
        if (settings is not null) metadata[SettingsKey] = JsonSerializer.Serialize(settings);
        if (resume is not null) TrainingCheckpoint.Save(path, resume, normalization, KnownArchitectures.NameOf(model), metadata);
        else ModelCheckpoint.Save(path, model, KnownArchitectures.NameOf(model), metadata, batchesTracked: steps, normalization, epoch);
        return path;
    }

    /// <summary>The metadata every checkpoint written by a training run holds; <see cref="Load"/> refuses a run's
    /// checkpoint that lacks any, since a default would silently change what evaluation compares against.</summary>
    public static IReadOnlyList<string> RequiredMetadata { get; } =
        ["epoch", "test_accuracy", "test_samples", "normalization_mean", "normalization_std"];

    /// <summary>Reads a checkpoint: the network from its description (older files: from the zoo by name). A run's
    /// checkpoint (one recording a test accuracy) must hold all of <see cref="RequiredMetadata"/>; one saved through
    /// the API needs only its normalisation, and is evaluated without a recorded accuracy to compare against.</summary>
    /// <exception cref="UsageException">The file is corrupt, lacks or garbles metadata (the message names the key), or
    /// its network cannot be rebuilt.</exception>
    /// <exception cref="IOException">The file is missing, a folder, or unreadable (the message names it).</exception>
    public static RunModel Load(string path) => Guard(() =>
    {
        var checkpoint = Read(path);
        var metadata = checkpoint.Metadata;
        var fromRun = metadata.ContainsKey("test_accuracy") || metadata.ContainsKey("test_samples");
        var missing = RequiredMetadata.Where(k => !metadata.ContainsKey(k)).ToList();
        if (fromRun && missing.Count > 0)
            throw new UsageException($"{path}: the checkpoint's metadata lacks {string.Join(", ", missing.Select(k => $"'{k}'"))}; " +
                "a training run of this program records them all after every epoch.");
        var name = metadata.GetValueOrDefault(ModelCheckpoint.ArchitectureKey) ?? checkpoint.Model.Architecture.Description;
        double? accuracy = fromRun ? Number(path, metadata, "test_accuracy", (t, c) => double.Parse(t, NumberStyles.Float, c), "a number from 0 to 1", a => a is >= 0 and <= 1) : null;
        int? samples = fromRun ? Number(path, metadata, "test_samples", (t, c) => int.Parse(t, NumberStyles.Integer, c), "a positive whole number", n => n > 0) : null;
        var epoch = fromRun ? Number(path, metadata, "epoch", (t, c) => int.Parse(t, NumberStyles.Integer, c), "a positive whole number", n => n > 0) : checkpoint.Epoch;
        return new RunModel(checkpoint.Model, checkpoint.Normalization, name, epoch, accuracy, samples);
    });

    /// <summary>Reads a run's checkpoint and training state for <c>train --resume</c>, with the run's settings.</summary>
    /// <exception cref="UsageException">Either file is missing or unusable; the message says which and why.</exception>
    public static (Checkpoint Checkpoint, ResumePoint Point, TrainSettings Settings) LoadResumable(string path) => Guard(() =>
    {
        var checkpoint = Read(path);
        var point = TrainingCheckpoint.LoadState(TrainingCheckpoint.StatePath(path), checkpoint);
        var settings = JsonSerializer.Deserialize<TrainSettings>(checkpoint.Required(SettingsKey, "records no training settings, so it was not written by train"))
            ?? throw new UsageException($"{path}: the '{SettingsKey}' metadata is empty.");
        return (checkpoint, point, settings);
    });

    private static Checkpoint Read(string path)
    {
        var file = SafeTensors.Load(path);
        if (file.Metadata.ContainsKey(ModelCheckpoint.NetworkKey)) return ModelCheckpoint.Load(path);
        // Written before checkpoints described their network: only a zoo model can be rebuilt, by name.
        var name = file.Metadata.GetValueOrDefault(ModelCheckpoint.ArchitectureKey)
            ?? throw new UsageException($"{path}: the checkpoint describes no network (no '{ModelCheckpoint.NetworkKey}' or '{ModelCheckpoint.ArchitectureKey}' metadata).");
        return ModelCheckpoint.Load(path, KnownArchitectures.Get(name, path));
    }

    private static T Guard<T>(Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException or FormatException or JsonException)
        {
            throw new UsageException(e.Message);
        }
    }

    private static T Number<T>(string path, IReadOnlyDictionary<string, string> m, string key, Func<string, IFormatProvider, T> parse,
        string what, Func<T, bool> valid)
    {
        T value;
        try { value = parse(m[key], CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is FormatException or OverflowException) { throw new UsageException($"{path}: metadata '{key}' is \"{m[key]}\", not {what}."); }
        return valid(value) ? value : throw new UsageException($"{path}: metadata '{key}' is \"{m[key]}\", not {what}.");
    }
}
