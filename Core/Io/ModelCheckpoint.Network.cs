using System.Globalization;
using Functional.Data;
using Functional.Io.Description;
using Functional.Network;

namespace Functional.Io;

public static partial class ModelCheckpoint
{
    /// <summary>Metadata key: the network as a versioned JSON description (<see cref="NetworkDescription"/>), from
    /// which <see cref="Load(string)"/> rebuilds the architecture without being given it.</summary>
    public const string NetworkKey = "network";
    /// <summary>Metadata key: the per-channel input means, comma-separated, in units of pixel/255.</summary>
    public const string NormalizationMeanKey = "normalization_mean";
    /// <summary>Metadata key: the per-channel input standard deviations, comma-separated.</summary>
    public const string NormalizationStdKey = "normalization_std";
    /// <summary>Metadata key: the training epoch after which the model was saved.</summary>
    public const string EpochKey = "epoch";

    /// <summary>
    /// Loads a checkpoint and the network it describes: the architecture comes from the file's <c>network</c>
    /// description and the input shape from <c>input_shape</c>, so any network of the library's layers can be
    /// evaluated or trained further from the file alone.
    /// </summary>
    /// <exception cref="CheckpointMetadataException">The file records no network description (it was written before
    /// descriptions existed, by PyTorch, or for a user-defined layer type) or no input shape; the message says which
    /// and how to load it with the architecture instead.</exception>
    /// <exception cref="NetworkFormatException">The description is of an unknown format version or holds an unknown
    /// layer type or field; the message names the element.</exception>
    /// <exception cref="InvalidDataException">The file is corrupt or its tensors do not fit the network.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static Checkpoint Load(string path)
    {
        var file = SafeTensors.Load(path);
        if (!file.Metadata.TryGetValue(NetworkKey, out var description))
            throw new CheckpointMetadataException(path, NetworkKey,
                $"records no '{NetworkKey}' description, so the network cannot be rebuilt from the file alone; load it with ModelCheckpoint.Load(path, architecture).");
        if (!file.Metadata.TryGetValue(InputShapeKey, out var input))
            throw new CheckpointMetadataException(path, InputShapeKey, $"records no '{InputShapeKey}'; load it with ModelCheckpoint.Load(path, architecture, inputShape).");
        Layer architecture;
        try { architecture = NetworkDescription.Read(description); }
        catch (NetworkFormatException e) { throw e.InFile(path); }
        return Load(path, file, architecture.Init(ParseShape(path, input), seed: 0));
    }

    // The training metadata the API writes for the caller, so a saved model is never read back with a guessed
    // normalisation (the CLI once wrote these itself and the documented API did not).
    private static IReadOnlyDictionary<string, string>? WithTraining(IReadOnlyDictionary<string, string>? metadata, Normalization? normalization, int? epoch)
    {
        if (normalization is null && epoch is null) return metadata;
        var merged = new OrderedDictionary<string, string>();
        if (normalization is not null)
        {
            merged[NormalizationMeanKey] = Floats(normalization.Mean);
            merged[NormalizationStdKey] = Floats(normalization.Std);
        }
        if (epoch is { } e) merged[EpochKey] = e.ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            if (!merged.TryAdd(key, value))
                throw new ArgumentException($"ModelCheckpoint.Save: the metadata key '{key}' is written from the {(key == EpochKey ? "epoch" : "normalization")} argument; give it once.", nameof(metadata));
        return merged;
    }

    private static string Floats(IEnumerable<float> values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
