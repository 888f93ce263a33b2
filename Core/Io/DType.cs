using System.Buffers.Binary;

namespace Functional.Io;

/// <summary>
/// The safetensors element types this library reads, and how each becomes float32. Writing uses F32 for
/// parameters and I64 for integer counters such as batch norm's <c>num_batches_tracked</c>, as PyTorch does.
/// </summary>
internal static class DType
{
    /// <summary>Bytes per element of each known dtype.</summary>
    private static readonly Dictionary<string, int> Sizes = new()
    {
        ["F32"] = 4, ["F64"] = 8, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["U8"] = 1,
    };

    /// <summary>The dtypes that <see cref="SafeTensors.Save(string, IReadOnlyDictionary{string, Tensor}, IReadOnlyDictionary{string, string}?, IReadOnlyDictionary{string, string}?)"/> can write.</summary>
    public static readonly string[] Writable = ["F32", "F64", "I64"];

    public static string Known => string.Join(", ", Sizes.Keys);

    public static bool TryGetSize(string dtype, out int size) => Sizes.TryGetValue(dtype, out size);

    public static int Size(string dtype) => Sizes[dtype];

    /// <summary>Converts little-endian raw data of <paramref name="dtype"/> to float32 (exact for F32).</summary>
    public static float[] ToFloat(string dtype, ReadOnlySpan<byte> raw)
    {
        var n = raw.Length / Size(dtype);
        var a = new float[n];
        for (var i = 0; i < n; i++)
            a[i] = dtype switch
            {
                "F32" => BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]),
                "F64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]),
                "F16" => (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(2 * i)..]),
                "BF16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]) << 16),
                "I64" => BinaryPrimitives.ReadInt64LittleEndian(raw[(8 * i)..]),
                "I32" => BinaryPrimitives.ReadInt32LittleEndian(raw[(4 * i)..]),
                "U8" => raw[i],
                _ => throw new InvalidOperationException(dtype),
            };
        return a;
    }

    /// <summary>Writes float32 values as little-endian <paramref name="dtype"/> (F32 keeps every bit, NaN payloads included).</summary>
    public static void Write(string dtype, ReadOnlySpan<float> values, Span<byte> dest)
    {
        for (var i = 0; i < values.Length; i++)
            switch (dtype)
            {
                case "F32": BinaryPrimitives.WriteSingleLittleEndian(dest[(4 * i)..], values[i]); break;
                case "F64": BinaryPrimitives.WriteDoubleLittleEndian(dest[(8 * i)..], values[i]); break;
                case "I64": BinaryPrimitives.WriteInt64LittleEndian(dest[(8 * i)..], (long)values[i]); break;
                default: throw new InvalidOperationException(dtype);
            }
    }
}
