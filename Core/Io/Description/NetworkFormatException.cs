namespace Functional.Io.Description;

/// <summary>
/// A network description that cannot be read (an unknown format version, an unknown layer type, a missing or
/// ill-typed field) or a layer that cannot be described (a layer type defined outside this library). The message
/// and <see cref="Element"/> name the element, e.g. <c>network.layers[3]</c>, and the file when there is one.
/// </summary>
/// <remarks>A <see cref="FormatException"/>: the file is readable but its contents are not what the caller needs.</remarks>
public sealed class NetworkFormatException : FormatException
{
    /// <summary>A problem with <paramref name="element"/>, e.g. <c>unknown layer type 'swish'</c>.</summary>
    public NetworkFormatException(string element, string problem) : this(null, element, problem) { }

    private NetworkFormatException(string? file, string element, string problem)
        : base(file is null ? $"{element}: {problem}" : $"{file}: {element}: {problem}")
    {
        Element = element;
        Problem = problem;
    }

    /// <summary>Where in the description the problem is: <c>format</c>, <c>network</c>, <c>network.layers[3].block</c>, ….</summary>
    public string Element { get; }

    /// <summary>What is wrong there, without the element.</summary>
    public string Problem { get; }

    /// <summary>The same problem, located in <paramref name="file"/>.</summary>
    internal NetworkFormatException InFile(string file) => new(file, Element, Problem);
}
