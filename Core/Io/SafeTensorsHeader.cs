using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;
using System.Text.Json;

namespace Functional.Io;

/// <summary>One tensor's entry in a safetensors header: byte range relative to the start of the data section.</summary>
internal sealed record SafeTensorsEntry(string Name, string DType, int[] Shape, long Begin, long End);

/// <summary>
/// Parses and validates a safetensors header. Every check that can fail names the file and the tensor, so a corrupt
/// or mismatched checkpoint is one readable error instead of an exception from deep inside.
/// </summary>
internal static class SafeTensorsHeader
{
    // Real headers are kilobytes; the bound rejects a garbage length before allocating gigabytes.
    private const long MaxHeader = 100L << 20;

    /// <summary>The entries in header order, the metadata, and where the data section starts.</summary>
    public static (List<SafeTensorsEntry> Entries, OrderedDictionary<string, string> Metadata, int DataStart) Parse(string source, ReadOnlySpan<byte> file)
    {
        if (file.Length < 8)
            throw Error(source, $"is {file.Length} bytes long, too short for the 8-byte header length of a safetensors file.");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8) || headerLength > MaxHeader)
            throw Error(source, $"the header length field says {headerLength:N0} bytes, but only {file.Length - 8:N0} bytes follow it (truncated file, or not safetensors).");
        var dataStart = 8 + (int)headerLength;
        var dataLength = (long)file.Length - dataStart;

        // JsonDocument accepts invalid UTF-8 inside strings and fails only when a name is read, with an exception
        // that names neither the file nor the byte.
        var headerBytes = file[8..dataStart];
        if (Utf8.ToUtf16(headerBytes, new char[headerBytes.Length], out var valid, out _, replaceInvalidSequences: false) != OperationStatus.Done)
            throw Error(source, $"the header is not valid UTF-8 (bad byte 0x{headerBytes[valid]:X2} at offset {8 + valid:N0}).");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(headerBytes.ToArray()); }
        catch (JsonException e) { throw Error(source, $"the header is not valid JSON ({e.Message}).", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Error(source, "the header is not a JSON object.");
            var entries = new List<SafeTensorsEntry>();
            var metadata = new OrderedDictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (!seen.Add(p.Name))
                    throw Error(source, $"the header lists '{p.Name}' twice.");
                if (p.Name == "__metadata__")
                    metadata = ParseMetadata(source, p.Value);
                else
                    entries.Add(ParseEntry(source, p.Name, p.Value, dataLength));
            }
            CheckCoverage(source, entries, dataLength);
            return (entries, metadata, dataStart);
        }
    }

    private static SafeTensorsEntry ParseEntry(string source, string name, JsonElement e, long dataLength)
    {
        InvalidDataException Bad(string what) => Error(source, $"tensor '{name}': {what}");
        if (e.ValueKind != JsonValueKind.Object) throw Bad("its header entry is not an object.");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw Bad("has no \"dtype\" string.");
        var dtype = dt.GetString()!;
        if (!DType.TryGetSize(dtype, out var size)) throw Bad($"unknown dtype \"{dtype}\"; this reader knows {DType.Known}.");
        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw Bad("has no \"shape\" array.");
        var shape = new int[sh.GetArrayLength()];
        var i = 0;
        foreach (var d in sh.EnumerateArray())
            shape[i++] = d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var v) && v >= 0 ? v : throw Bad($"shape {sh} has an entry that is not a non-negative integer.");
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2
            || off[0].ValueKind != JsonValueKind.Number || off[1].ValueKind != JsonValueKind.Number
            || !off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end))
            throw Bad("has no \"data_offsets\" pair of integers.");
        if (begin < 0 || end < begin || end > dataLength)
            throw Bad($"data_offsets [{begin}, {end}] lie outside the data section of {dataLength:N0} bytes.");
        // Saturating, so that many huge dims cannot wrap around to a plausible count.
        var count = shape.Contains(0) ? 0L : shape.Aggregate(1L, (a, d) => Math.Min(a * d, int.MaxValue + 1L));
        if (count > int.MaxValue) throw Bad($"shape [{string.Join(", ", shape)}] holds more elements than one tensor can.");
        if (count * size != end - begin)
            throw Bad($"shape [{string.Join(", ", shape)}] of {dtype} needs {count * size:N0} bytes but data_offsets [{begin}, {end}] span {end - begin:N0}.");
        return new(name, dtype, shape, begin, end);
    }

    /// <summary>Tensors must tile the data section exactly: no overlap (two names sharing bytes), no gaps, no tail.</summary>
    private static void CheckCoverage(string source, List<SafeTensorsEntry> entries, long dataLength)
    {
        var at = 0L;
        SafeTensorsEntry? prev = null;
        foreach (var t in entries.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (t.Begin < at)
                throw Error(source, $"tensor '{t.Name}': data_offsets [{t.Begin}, {t.End}] overlap those of '{prev!.Name}' [{prev.Begin}, {prev.End}].");
            if (t.Begin > at)
                throw Error(source, $"tensor '{t.Name}': data starts at byte {t.Begin} but the previous tensor ends at {at}; the data section has a gap.");
            at = t.End;
            prev = t;
        }
        if (at != dataLength)
            throw Error(source, $"the tensors cover {at:N0} bytes of data but the data section holds {dataLength:N0} (trailing or missing bytes).");
    }

    private static OrderedDictionary<string, string> ParseMetadata(string source, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw Error(source, "__metadata__ is not an object of strings.");
        var m = new OrderedDictionary<string, string>();
        foreach (var p in e.EnumerateObject())
            m[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Error(source, $"__metadata__ entry '{p.Name}' is not a string.");
        return m;
    }

    /// <summary>The header bytes for these entries, padded with spaces to a multiple of 8 so data stays aligned.</summary>
    public static byte[] Build(IEnumerable<SafeTensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            foreach (var t in entries)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", t.DType);
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(t.Begin);
                w.WriteNumberValue(t.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var json = ms.ToArray();
        var padded = (json.Length + 7) / 8 * 8;
        var header = new byte[padded];
        json.CopyTo(header, 0);
        header.AsSpan(json.Length).Fill((byte)' ');
        return header;
    }

    public static InvalidDataException Error(string source, string problem, Exception? inner = null) => new($"{source}: {problem}", inner);
}
