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

    /// <summary>Reads a run's checkpoint, rebuilding its architecture by name.</summary>
    /// <exception cref="UsageException">The file is missing, corrupt, or of an architecture this program does not know.</exception>
    public static RunModel Load(string path)
    {
        try
        {
            var metadata = SafeTensors.Load(path).Metadata;
            var name = metadata.GetValueOrDefault(ModelCheckpoint.ArchitectureKey)
                ?? throw new UsageException($"{path}: the checkpoint does not say which architecture it holds (no '{ModelCheckpoint.ArchitectureKey}' metadata).");
            var model = ModelCheckpoint.Load(path, KnownArchitectures.Get(name)).Model;
            var normalization = metadata.TryGetValue("normalization_mean", out var mean) && metadata.TryGetValue("normalization_std", out var std)
                ? Normalization.PerChannel(ParseFloats(path, mean), ParseFloats(path, std))
                : Normalization.Unit(model.InputShape[0]);
            return new(model, normalization, name, Int(metadata, "epoch"), Double(metadata, "test_accuracy"), Int(metadata, "test_samples"));
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new UsageException(e.Message);
        }
    }

    private static string Floats(IEnumerable<float> values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static float[] ParseFloats(string path, string text) => text.Split(',').Select(s =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new InvalidDataException($"{path}: normalisation metadata \"{text}\" is not a comma-separated list of numbers.")).ToArray();

    private static int? Int(IReadOnlyDictionary<string, string> m, string key) =>
        m.TryGetValue(key, out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? Double(IReadOnlyDictionary<string, string> m, string key) =>
        m.TryGetValue(key, out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
