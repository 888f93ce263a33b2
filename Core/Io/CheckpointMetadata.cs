using System.Globalization;
using Functional.Data;

namespace Functional.Io;

/// <summary>
/// The one reading path for a checkpoint's training metadata: required entries throw a
/// <see cref="CheckpointMetadataException"/> naming the key when missing or malformed, optional ones are null when
/// absent and still throw when malformed. Nothing is read with a silent default.
/// </summary>
public sealed partial record Checkpoint
{
    /// <summary>The file the checkpoint was read from, for messages.</summary>
    public string File { get; init; } = "checkpoint";

    /// <summary>The input normalisation the model was trained with (<c>normalization_mean</c>, <c>normalization_std</c>).</summary>
    /// <exception cref="CheckpointMetadataException">The file records none, or it does not parse or has the wrong
    /// number of channels; the message says which.</exception>
    public Normalization Normalization
    {
        get
        {
            var mean = Floats(Required(ModelCheckpoint.NormalizationMeanKey,
                "records no input normalisation; save it with ModelCheckpoint.Save(…, normalization: …) (use Normalization.Unit(channels) for inputs that are only scaled to [0, 1])"),
                ModelCheckpoint.NormalizationMeanKey);
            var std = Floats(Required(ModelCheckpoint.NormalizationStdKey, "records normalisation means but no standard deviations"), ModelCheckpoint.NormalizationStdKey);
            var channels = Model.InputShape[0];
            if (mean.Length != channels || std.Length != channels)
                throw new CheckpointMetadataException(File, ModelCheckpoint.NormalizationMeanKey,
                    $"records {mean.Length} normalisation means and {std.Length} standard deviations but the model takes {channels} channels.");
            try { return Normalization.PerChannel(mean, std); }
            catch (ArgumentException e) { throw new CheckpointMetadataException(File, ModelCheckpoint.NormalizationStdKey, e.Message); }
        }
    }

    /// <summary>The epoch after which the model was saved, or null when the file does not record one.</summary>
    /// <exception cref="CheckpointMetadataException">The entry is not a whole number.</exception>
    public int? Epoch => Int(ModelCheckpoint.EpochKey);

    /// <summary>The metadata string under <paramref name="key"/>.</summary>
    /// <exception cref="CheckpointMetadataException">The file does not record it; the message names the key.</exception>
    public string Required(string key, string? why = null) => Metadata.TryGetValue(key, out var value) ? value
        : throw new CheckpointMetadataException(File, key, why is null ? $"records no '{key}' in its metadata." : $"{why} (no '{key}' in its metadata).");

    /// <summary>The whole number under <paramref name="key"/>, or null when absent.</summary>
    /// <exception cref="CheckpointMetadataException">Present but not a whole number.</exception>
    public int? Int(string key) => Metadata.TryGetValue(key, out var s)
        ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new CheckpointMetadataException(File, key, $"metadata '{key}' is \"{s}\", not a whole number.")
        : null;

    /// <summary>The number under <paramref name="key"/>, or null when absent.</summary>
    /// <exception cref="CheckpointMetadataException">Present but not a number.</exception>
    public double? Double(string key) => Metadata.TryGetValue(key, out var s)
        ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new CheckpointMetadataException(File, key, $"metadata '{key}' is \"{s}\", not a number.")
        : null;

    private float[] Floats(string text, string key) => text.Split(',').Select(s =>
        float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new CheckpointMetadataException(File, key, $"metadata '{key}' is \"{text}\", not a comma-separated list of numbers.")).ToArray();
}
