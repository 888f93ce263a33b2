using System.Text.Json;

namespace Functional.Cli.Conformance;

/// <summary>A case file that does not follow the documented format; the whole run stops with its message.</summary>
internal sealed class ConformanceFormatException(string message) : Exception(message);

/// <summary>
/// One reference case: an op, its parameters, named input tensors, the expected output y, and optionally the
/// upstream gradient gy with the expected gradient of each named input. See conformance/README.md.
/// </summary>
internal sealed class ConformanceCase
{
    public required string File { get; init; }
    public required int Index { get; init; }
    public required string Op { get; init; }
    public required JsonElement Params { get; init; }
    public required IReadOnlyDictionary<string, Tensor> Inputs { get; init; }
    public required Tensor Y { get; init; }
    public required Tensor? Gy { get; init; }
    public required IReadOnlyDictionary<string, Tensor> Grads { get; init; }

    /// <summary>"conv.json #12 conv2d": how failures name the case.</summary>
    public string Label => $"{Path.GetFileName(File)} #{Index} {Op}";

    /// <summary>A required input; a missing one is an error of the case.</summary>
    public Tensor Input(string name) => Inputs.TryGetValue(name, out var t)
        ? t
        : throw new InvalidDataException($"input '{name}' is missing (has: {string.Join(", ", Inputs.Keys)})");

    /// <summary>An optional input (e.g. a bias).</summary>
    public Tensor? OptionalInput(string name) => Inputs.GetValueOrDefault(name);

    /// <summary>Whether the parameter is present and not null.</summary>
    public bool Has(string name) => Params.ValueKind == JsonValueKind.Object && Params.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>An integer parameter.</summary>
    public int Int(string name, int fallback) => Has(name) ? Params.GetProperty(name).GetInt32() : fallback;

    /// <summary>A floating-point parameter.</summary>
    public double Double(string name, double fallback) => Has(name) ? Params.GetProperty(name).GetDouble() : fallback;

    /// <summary>A boolean parameter.</summary>
    public bool Bool(string name, bool fallback) => Has(name) ? Params.GetProperty(name).GetBoolean() : fallback;

    /// <summary>A string parameter, or null when absent or not a string.</summary>
    public string? String(string name) => Has(name) && Params.GetProperty(name).ValueKind == JsonValueKind.String ? Params.GetProperty(name).GetString() : null;

    /// <summary>A list of ints (a bare int counts as a one-element list).</summary>
    public int[] Ints(string name, int fallback) => !Has(name)
        ? [fallback]
        : Params.GetProperty(name) is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Select(e => e.GetInt32()).ToArray()
            : [Params.GetProperty(name).GetInt32()];
}

/// <summary>Reads case files with System.Text.Json, turning every format problem into one clear message.</summary>
internal static class ConformanceReader
{
    public static IReadOnlyList<ConformanceCase> Read(string file)
    {
        byte[] bytes;
        // A folder, a link loop or a device such as /dev/zero: one line, not an exception (or reading forever).
        try { bytes = Functional.Io.InputFile.ReadAll(file, "conformance case file", 1L << 30); }
        catch (System.IO.FileNotFoundException) { throw new ConformanceFormatException($"{file}: no such file."); }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException) { throw new ConformanceFormatException(e.Message); }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes); }
        catch (JsonException e) { throw new ConformanceFormatException($"{file}: not valid JSON ({e.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("cases", out var cases) || cases.ValueKind != JsonValueKind.Array)
                throw new ConformanceFormatException($"{file}: expected an object {{\"cases\": [...]}} at the top level.");
            var list = new List<ConformanceCase>();
            var i = 0;
            foreach (var c in cases.EnumerateArray())
            {
                try { list.Add(ReadCase(file, i, c)); }
                catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ShapeException or ArgumentException)
                {
                    throw new ConformanceFormatException($"{file}: case #{i} is malformed: {e.Message}");
                }
                i++;
            }
            return list;
        }
    }

    private static ConformanceCase ReadCase(string file, int index, JsonElement c)
    {
        if (c.ValueKind != JsonValueKind.Object) throw new FormatException("a case must be an object");
        var op = Required(c, "op").GetString() ?? throw new FormatException("'op' is null");
        var gy = c.TryGetProperty("gy", out var g) && g.ValueKind != JsonValueKind.Null ? ReadTensor(g, "gy") : null;
        return new ConformanceCase
        {
            File = file,
            Index = index,
            Op = op,
            Params = c.TryGetProperty("params", out var p) ? p.Clone() : default,
            Inputs = ReadTensors(c, "inputs"),
            Y = ReadTensor(Required(c, "y"), "y"),
            Gy = gy,
            Grads = c.TryGetProperty("grads", out var gr) && gr.ValueKind == JsonValueKind.Object ? ReadTensors(c, "grads") : new Dictionary<string, Tensor>(),
        };
    }

    private static JsonElement Required(JsonElement e, string name, string? within = null) => e.TryGetProperty(name, out var v)
        ? v
        : throw new FormatException(within is null ? $"it has no '{name}'" : $"'{within}' has no '{name}'");

    private static Dictionary<string, Tensor> ReadTensors(JsonElement c, string property)
    {
        var map = new Dictionary<string, Tensor>();
        foreach (var t in Required(c, property).EnumerateObject()) map[t.Name] = ReadTensor(t.Value, $"{property}.{t.Name}");
        return map;
    }

    private static Tensor ReadTensor(JsonElement t, string what)
    {
        if (t.ValueKind != JsonValueKind.Object) throw new FormatException($"'{what}' must be an object with shape and data");
        var shape = Shape.Of(Required(t, "shape", what).EnumerateArray().Select(e => e.GetInt32()).ToArray());
        var data = Required(t, "data", what).EnumerateArray().Select(e => e.GetSingle()).ToArray();
        if (data.Length != shape.Count)
            throw new FormatException($"'{what}' has shape {shape} ({shape.Count} elements) but {data.Length} data values");
        return Tensor.FromArray(shape, data);
    }
}
