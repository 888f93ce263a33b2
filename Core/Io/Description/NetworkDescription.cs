using System.Text.Json;
using System.Text.Json.Nodes;
using Functional.Network;

namespace Functional.Io.Description;

/// <summary>
/// A <see cref="Layer"/> value as a versioned JSON document, so a checkpoint carries its network and not only its
/// weights: <c>{"format": 1, "network": {"type": "chain", "layers": [{"type": "conv", "filters": 6, …}, …]}}</c>.
/// Every primitive of the library (with all its hyper-parameters) and every combinator (<c>chain</c>,
/// <c>residual</c>, <c>concat</c>, <c>named</c>) has a description; reading one back gives a layer equal to the one
/// written, so the same input shape and seed give the same parameters, paths and predictions.
/// </summary>
/// <remarks>
/// <see cref="Format"/> changes only when a description written by this build would be read differently by a
/// later one; a reader rejects versions it does not know instead of guessing. The format is described in
/// docs/checkpoints-and-pictures.md.
/// </remarks>
public static class NetworkDescription
{
    /// <summary>The format version this build writes and the only one it reads.</summary>
    public const int Format = 1;

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The description of <paramref name="layer"/> as compact JSON text.</summary>
    /// <exception cref="NetworkFormatException">Some layer in it is of a type defined outside this library; the
    /// message names its position (e.g. <c>network.layers[2]</c>).</exception>
    public static string Write(Layer layer) =>
        new JsonObject { ["format"] = Format, ["network"] = NetworkWriter.Write(layer, "network") }.ToJsonString(Compact);

    /// <summary>Whether every layer in <paramref name="layer"/> has a description (no user-defined layer types).</summary>
    public static bool CanDescribe(Layer layer)
    {
        try { NetworkWriter.Write(layer, "network"); return true; }
        catch (NetworkFormatException) { return false; }
    }

    /// <summary>The layer that <paramref name="json"/> describes.</summary>
    /// <exception cref="NetworkFormatException">The text is not JSON, its format version is not <see cref="Format"/>,
    /// or an element has an unknown type or a missing or ill-typed field; the message names the element.</exception>
    public static Layer Read(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new NetworkFormatException("description", $"is not JSON ({e.Message})"); }
        if (root is not JsonObject obj) throw new NetworkFormatException("description", "is not a JSON object with 'format' and 'network'.");
        if (!obj.TryGetPropertyValue("format", out var format) || format is null)
            throw new NetworkFormatException("format", $"is missing: a description starts with \"format\": {Format}.");
        if (format is not JsonValue v || !v.TryGetValue(out int version) || version != Format)
            throw new NetworkFormatException("format", $"version {format.ToJsonString()} is not one this build reads (it reads format {Format}); a newer Functional wrote it.");
        if (!obj.TryGetPropertyValue("network", out var network))
            throw new NetworkFormatException("network", "is missing: the description holds no network.");
        return NetworkReader.Read(network, "network");
    }
}
