using System.Globalization;
using Functional.Data;
using Functional.Io;
using Functional.Network;

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
/// plus the metadata needed to evaluate it again exactly: architecture name, input normalisation, epoch, and the
/// test accuracy the run reported.
/// </summary>
internal static class RunCheckpoint
{
    /// <summary>The file name inside a run folder.</summary>
    public const string FileName = "model.safetensors";

    /// <summary>Writes (atomically, replacing the previous epoch's) <c>model.safetensors</c> in <paramref name="directory"/>; returns its path.</summary>
    /// <param name="steps">Optimizer steps so far: the batches any batch norm's statistics have seen.</param>
    public static string Save(string directory, Model model, Normalization normalization, int epoch, double testAccuracy, int testSamples, long steps)
    {
        var path = Path.Combine(directory, FileName);
        ModelCheckpoint.Save(path, model, KnownArchitectures.NameOf(model), new Dictionary<string, string>
        {
            ["epoch"] = epoch.ToString(CultureInfo.InvariantCulture),
            ["test_accuracy"] = testAccuracy.ToString("R", CultureInfo.InvariantCulture),
            ["test_samples"] = testSamples.ToString(CultureInfo.InvariantCulture),
            ["normalization_mean"] = Floats(normalization.Mean),
            ["normalization_std"] = Floats(normalization.Std),
        }, batchesTracked: steps);
        return path;
    }

    /// <summary>The metadata every run checkpoint holds; <see cref="Load"/> refuses a file that lacks any.</summary>
    public static IReadOnlyList<string> RequiredMetadata { get; } =
        ["epoch", "test_accuracy", "test_samples", "normalization_mean", "normalization_std"];

    /// <summary>Reads a run's checkpoint, rebuilding its architecture by name.</summary>
    /// <exception cref="UsageException">The file is corrupt, lacks or garbles metadata a run writes (defaults would
    /// silently change the evaluation), or holds an architecture this program does not know.</exception>
    /// <exception cref="IOException">The file is missing, a folder, or unreadable (the message names it).</exception>
    public static RunModel Load(string path)
    {
        try
        {
            var metadata = SafeTensors.Load(path).Metadata;
            var name = metadata.GetValueOrDefault(ModelCheckpoint.ArchitectureKey)
                ?? throw new UsageException($"{path}: the checkpoint does not say which architecture it holds (no '{ModelCheckpoint.ArchitectureKey}' metadata).");
            var model = ModelCheckpoint.Load(path, KnownArchitectures.Get(name, path)).Model;
            var missing = RequiredMetadata.Where(k => !metadata.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                throw new UsageException($"{path}: the checkpoint's metadata lacks {string.Join(", ", missing.Select(k => $"'{k}'"))}; " +
                    "it was not written by a training run of this program, which records them after every epoch.");
            Normalization normalization;
            try { normalization = Normalization.PerChannel(ParseFloats(path, "normalization_mean", metadata), ParseFloats(path, "normalization_std", metadata)); }
            catch (ArgumentException e) { throw new UsageException($"{path}: the normalisation metadata cannot be used: {e.Message}"); }
            if (normalization.Mean.Length != model.InputShape[0])
                throw new UsageException($"{path}: the normalisation metadata has {normalization.Mean.Length} channels but the model takes {model.InputShape}.");
            var accuracy = Number(path, metadata, "test_accuracy", (t, c) => double.Parse(t, NumberStyles.Float, c), "a number from 0 to 1", a => a is >= 0 and <= 1);
            var samples = Number(path, metadata, "test_samples", (t, c) => int.Parse(t, NumberStyles.Integer, c), "a positive whole number", n => n > 0);
            var epoch = Number(path, metadata, "epoch", (t, c) => int.Parse(t, NumberStyles.Integer, c), "a positive whole number", n => n > 0);
            return new(model, normalization, name, epoch, accuracy, samples);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static string Floats(IEnumerable<float> values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static float[] ParseFloats(string path, string key, IReadOnlyDictionary<string, string> m) => m[key].Split(',').Select(s =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new UsageException($"{path}: metadata '{key}' is \"{m[key]}\", not a comma-separated list of numbers.")).ToArray();

    private static T Number<T>(string path, IReadOnlyDictionary<string, string> m, string key, Func<string, IFormatProvider, T> parse,
        string what, Func<T, bool> valid)
    {
        T value;
        try { value = parse(m[key], CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is FormatException or OverflowException) { throw new UsageException($"{path}: metadata '{key}' is \"{m[key]}\", not {what}."); }
        return valid(value) ? value : throw new UsageException($"{path}: metadata '{key}' is \"{m[key]}\", not {what}.");
    }
}
