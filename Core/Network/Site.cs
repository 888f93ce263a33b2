namespace Functional.Network;

/// <summary>
/// Where a layer sits in a network, for parameter paths and error messages. <see cref="Path"/> is the dotted
/// address its parameters live under (<c>features.3</c>: names where layers are named, positions elsewhere);
/// <see cref="Index"/> is the same address in positions only (<c>0.3</c>), as PyTorch's <c>nn.Sequential</c>
/// numbers its children, counting parameterless layers.
/// </summary>
public sealed record Site(string Path, string Index)
{
    /// <summary>The top of a network: an empty path.</summary>
    public static Site Root { get; } = new("", "");

    /// <summary>The site of child number <paramref name="index"/>, addressed by <paramref name="segment"/> (its name, or the index).</summary>
    public Site Child(int index, string? segment = null) =>
        new(Join(Path, segment ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Join(Index, index.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A child addressed by name only (a residual's shortcut, a named branch).</summary>
    public Site Child(string segment) => new(Join(Path, segment), Join(Index, segment));

    /// <summary>How errors introduce the layer here: <c>layer 7 'fc1' (Dense(120))</c>, or <c>layer 3 (Conv2d(…))</c>.</summary>
    public string Describe(string layer) =>
        Index.Length == 0 ? layer
        : Path == Index ? $"layer {Index} ({layer})"
        : $"layer {Index} '{Path}' ({layer})";

    /// <summary>
    /// Runs <paramref name="f"/> and, when it throws a <see cref="ShapeException"/> that no inner layer has located
    /// yet, rethrows it with this site and the layer's description in front, so the message says where it broke.
    /// </summary>
    public T Locate<T>(string layer, Func<T> f)
    {
        try { return f(); }
        catch (ShapeException e) when (!e.Data.Contains(LocatedKey))
        {
            var located = new ShapeException($"{Describe(layer)}: {e.Message}", e);
            located.Data[LocatedKey] = Path;
            throw located;
        }
    }

    internal const string LocatedKey = "Functional.Network.Site";

    internal static string Join(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : $"{a}.{b}";

    /// <summary>The index path, or <c>(root)</c>.</summary>
    public override string ToString() => Index.Length == 0 ? "(root)" : Index;
}
