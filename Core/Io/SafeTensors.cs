using System.Collections.ObjectModel;

namespace Functional.Io;

/// <summary>The contents of a safetensors file, in the order the header lists them.</summary>
/// <param name="Tensors">Tensors by name (e.g. <c>0.weight</c>, <c>1.running_mean</c>), in header order.</param>
/// <param name="Metadata">The <c>__metadata__</c> string map (empty when absent).</param>
/// <param name="DTypes">The dtype each tensor was stored as (F32, I64, …); the tensors themselves are float32.</param>
public sealed record SafeTensorsFile(
    IReadOnlyDictionary<string, Tensor> Tensors,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> DTypes);

/// <summary>
/// Reads and writes the safetensors format (Hugging Face; used for PyTorch state dicts): an 8-byte little-endian
/// header length, a JSON header giving each tensor's dtype, shape and byte range, an optional <c>__metadata__</c>
/// string map, then the raw little-endian data. Saves are atomic; loads validate every header field.
/// </summary>
public static class SafeTensors
{
    /// <summary>Writes <paramref name="tensors"/> (in their enumeration order) atomically: a temporary file in the
    /// same folder, flushed to disk, renamed over <paramref name="path"/>. A crash leaves the old file or the new one.</summary>
    /// <param name="metadata">Free-form strings stored under <c>__metadata__</c> (e.g. architecture, epoch).</param>
    /// <param name="dtypes">Per-tensor storage type: F32 (default, bit-exact), F64, or I64 for integer counters.</param>
    /// <exception cref="ArgumentException">An empty or reserved name, or an unwritable dtype.</exception>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, IReadOnlyDictionary<string, string>? dtypes = null) =>
        Save(path, tensors, metadata, dtypes, null, null);

    /// <summary>The test seam: see <see cref="AtomicFile"/>.</summary>
    internal static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata,
        IReadOnlyDictionary<string, string>? dtypes, Func<Stream, Stream>? wrap, Action<string>? beforeRename)
    {
        var (header, entries) = Plan(tensors, dtypes);
        AtomicFile.Write(path, s =>
        {
            Span<byte> len = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
            s.Write(len);
            s.Write(header);
            foreach (var e in entries)
            {
                var raw = new byte[e.End - e.Begin];
                DType.Write(e.DType, tensors[e.Name].Span, raw);
                s.Write(raw);
            }
        }, wrap, beforeRename);

        (byte[] Header, List<SafeTensorsEntry> Entries) Plan(IReadOnlyDictionary<string, Tensor> ts, IReadOnlyDictionary<string, string>? dts)
        {
            var list = new List<SafeTensorsEntry>();
            var at = 0L;
            foreach (var (name, t) in ts)
            {
                if (string.IsNullOrEmpty(name) || name == "__metadata__")
                    throw new ArgumentException($"SafeTensors.Save: '{name}' cannot name a tensor.", nameof(tensors));
                var dtype = dts is not null && dts.TryGetValue(name, out var d) ? d : "F32";
                if (!DType.Writable.Contains(dtype))
                    throw new ArgumentException($"SafeTensors.Save: tensor '{name}' asks for dtype \"{dtype}\"; writable dtypes are {string.Join(", ", DType.Writable)}.", nameof(dtypes));
                var bytes = (long)t.Count * DType.Size(dtype);
                list.Add(new(name, dtype, [.. t.Shape.Dims], at, at + bytes));
                at += bytes;
            }
            return (SafeTensorsHeader.Build(list, metadata), list);
        }
    }

    /// <summary>Reads and validates a safetensors file: header length within the file, valid JSON, known dtypes,
    /// offsets in bounds, shape × dtype size equal to each byte range, and the ranges tiling the data exactly.</summary>
    /// <exception cref="InvalidDataException">Anything wrong; the message names the file and the tensor.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder, a link loop or a device, or the file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static SafeTensorsFile Load(string path) => Decode(InputFile.ReadAll(path, "checkpoint", Array.MaxLength), path);

    /// <summary>Reads a checkpoint and checks it holds exactly the <paramref name="expected"/> tensors with those
    /// shapes (e.g. from a model's parameter tree). All missing, unexpected and mis-shaped tensors are listed in
    /// one error.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt or does not fit the expected shapes.</exception>
    public static SafeTensorsFile Load(string path, IReadOnlyDictionary<string, Shape> expected)
    {
        var file = Load(path);
        Check(path, file, expected);
        return file;
    }

    /// <summary>The check of <see cref="Load(string, IReadOnlyDictionary{string, Shape})"/> on a file already read.</summary>
    internal static void Check(string path, SafeTensorsFile file, IReadOnlyDictionary<string, Shape> expected)
    {
        var problems = new List<string>();
        foreach (var (name, shape) in expected)
        {
            if (!file.Tensors.TryGetValue(name, out var t)) problems.Add($"tensor '{name}' ({shape}) is missing");
            else if (t.Shape != shape) problems.Add($"tensor '{name}' is {t.Shape} in the file but the model needs {shape}");
        }
        foreach (var name in file.Tensors.Keys.Where(n => !expected.ContainsKey(n)))
            problems.Add($"tensor '{name}' ({file.Tensors[name].Shape}) is not part of the model");
        if (problems.Count > 0)
            throw SafeTensorsHeader.Error(path, $"does not match the architecture: {string.Join("; ", problems)}.");
    }

    /// <summary>Decodes safetensors bytes; <paramref name="source"/> names them in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid safetensors file.</exception>
    public static SafeTensorsFile Decode(ReadOnlySpan<byte> bytes, string source = "safetensors data")
    {
        var (entries, metadata, dataStart) = SafeTensorsHeader.Parse(source, bytes);
        var tensors = new OrderedDictionary<string, Tensor>();
        var dtypes = new OrderedDictionary<string, string>();
        foreach (var e in entries)
        {
            var raw = bytes.Slice(dataStart + (int)e.Begin, (int)(e.End - e.Begin));
            tensors.Add(e.Name, Tensor.Wrap(Shape.Of(e.Shape), DType.ToFloat(e.DType, raw)));
            dtypes.Add(e.Name, e.DType);
        }
        return new(new ReadOnlyDictionary<string, Tensor>(tensors), new ReadOnlyDictionary<string, string>(metadata),
            new ReadOnlyDictionary<string, string>(dtypes));
    }
}
