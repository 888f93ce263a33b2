namespace Functional.Io.Description;

/// <summary>
/// A network description that cannot be read (an unknown format version, an unknown layer type, a missing or
/// ill-typed field) or a layer that cannot be described (a layer type defined outside this library). The message
/// and <see cref="Element"/> name the element, e.g. <c>network.layers[3]</c>.
/// </summary>
/// <remarks>A <see cref="FormatException"/>: the file is readable but its contents are not what the caller needs.</remarks>
public sealed class NetworkFormatException(string element, string message) : FormatException($"{element}: {message}")
{
    /// <summary>Where in the description the problem is: <c>format</c>, <c>network</c>, <c>network.layers[3].block</c>, ….</summary>
    public string Element { get; } = element;
}
