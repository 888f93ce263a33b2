namespace Functional.Io;

/// <summary>
/// A checkpoint lacks a metadata entry that the caller needs (the network, the input shape, the normalisation, …)
/// or holds one that does not parse. Nothing falls back to a default: the message names the file, the key and
/// what to do.
/// </summary>
/// <remarks>A <see cref="FormatException"/>: the file is readable but its contents are not what the caller needs.</remarks>
public sealed class CheckpointMetadataException(string file, string key, string message) : FormatException($"{file}: {message}")
{
    /// <summary>The checkpoint file.</summary>
    public string File { get; } = file;

    /// <summary>The metadata key that is missing or malformed, e.g. <c>normalization_mean</c>.</summary>
    public string Key { get; } = key;
}
