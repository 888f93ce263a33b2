using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Functional.Io;
using Functional.Random;
using Xunit;

namespace Functional.Tests;

public sealed class IoSafeTensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("safetensors-tests").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    private static OrderedDictionary<string, Tensor> Sample()
    {
        var special = new[]
        {
            BitConverter.Int32BitsToSingle(0x7FC12345), float.NegativeZero, float.PositiveInfinity, float.NegativeInfinity,
            float.Epsilon, 1.17549421e-38f, float.MaxValue, -1.5f,
        };
        return new()
        {
            ["0.weight"] = Tensor.Normal(Shape.Of(6, 1, 5, 5), Key.FromSeed(1)),
            ["0.bias"] = Tensor.Uniform(Shape.Of(6), Key.FromSeed(2), -1, 1),
            ["1.special"] = Tensor.FromArray(Shape.Of(2, 4), special),
            ["2.scalar"] = Tensor.Scalar(3.25f),
            ["3.empty"] = Tensor.Zeros(Shape.Of(0, 3)),
        };
    }

    internal static byte[] Raw(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var b = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)header.Length);
        header.CopyTo(b, 8);
        data.CopyTo(b, 8 + header.Length);
        return b;
    }

    private string WriteRaw(string json, byte[] data)
    {
        var path = PathOf("bad.safetensors");
        File.WriteAllBytes(path, Raw(json, data));
        return path;
    }

    [Fact]
    public void Round_trip_is_bit_exact_in_order_with_metadata()
    {
        var path = PathOf("model.safetensors");
        var tensors = Sample();
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["arch"] = "LeNet-5", ["epoch"] = "3" });
        var back = SafeTensors.Load(path);
        Assert.Equal(tensors.Keys, back.Tensors.Keys);
        foreach (var (name, t) in tensors)
        {
            Assert.Equal(t.Shape, back.Tensors[name].Shape);
            Assert.Equal(t.ToArray().Select(BitConverter.SingleToInt32Bits), back.Tensors[name].ToArray().Select(BitConverter.SingleToInt32Bits));
            Assert.Equal("F32", back.DTypes[name]);
        }
        Assert.Equal("LeNet-5", back.Metadata["arch"]);
        Assert.Equal(["arch", "epoch"], back.Metadata.Keys);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(Resave(back)));

        string Resave(SafeTensorsFile f)
        {
            var p2 = PathOf("again.safetensors");
            SafeTensors.Save(p2, f.Tensors, f.Metadata, f.DTypes);
            return p2;
        }
    }

    [Fact]
    public void Layout_follows_the_format_when_read_independently()
    {
        var path = PathOf("m.safetensors");
        var w = Tensor.Arange(Shape.Of(2, 3), 0.5f);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = w, ["n"] = Tensor.Scalar(12345) },
            new Dictionary<string, string> { ["k"] = "v" }, new Dictionary<string, string> { ["n"] = "I64" });
        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, n % 8);                                    // padded so the data section is 8-byte aligned
        using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, n).TrimEnd(' '));
        var root = doc.RootElement;
        Assert.Equal("v", root.GetProperty("__metadata__").GetProperty("k").GetString());
        Assert.Equal("F32", root.GetProperty("w").GetProperty("dtype").GetString());
        Assert.Equal([2, 3], root.GetProperty("w").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0, 24], root.GetProperty("w").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([24, 32], root.GetProperty("n").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()));
        for (var i = 0; i < 6; i++)
            Assert.Equal(0.5f + i, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + n + 4 * i)));
        Assert.Equal(12345L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 + n + 24)));
        var back = SafeTensors.Load(path);
        Assert.Equal("I64", back.DTypes["n"]);
        Assert.Equal(12345f, back.Tensors["n"].Span[0]);
    }

    [Fact]
    public void Reads_other_numeric_dtypes_as_float32()
    {
        var data = new byte[8 + 8 + 2 + 2 + 4 + 1];
        BinaryPrimitives.WriteDoubleLittleEndian(data, 2.5);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), -7);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(16), (Half)0.75);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(18), 0x4040);   // bfloat16 3.0
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(20), 42);
        data[24] = 200;
        var path = WriteRaw("""
            {"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"b":{"dtype":"I64","shape":[],"data_offsets":[8,16]},
             "c":{"dtype":"F16","shape":[1],"data_offsets":[16,18]},"d":{"dtype":"BF16","shape":[1],"data_offsets":[18,20]},
             "e":{"dtype":"I32","shape":[1,1],"data_offsets":[20,24]},"f":{"dtype":"U8","shape":[1],"data_offsets":[24,25]}}
            """, data);
        var t = SafeTensors.Load(path).Tensors;
        Assert.Equal([2.5f, -7f, 0.75f, 3f, 42f, 200f], t.Values.Select(v => v.Span[0]));
        Assert.Equal(Shape.Scalar, t["b"].Shape);
    }

    [Fact]
    public void Header_length_past_the_end_of_the_file_is_one_clear_error()
    {
        var bytes = Raw("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4]);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1_000_000);
        var path = PathOf("long.safetensors");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("header length field says 1,000,000 bytes", e.Message);
        File.WriteAllBytes(path, bytes[..5]);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
    }

    [Fact]
    public void Overlapping_offsets_name_both_tensors()
    {
        var path = WriteRaw("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[12]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("tensor 'b': data_offsets [4, 12] overlap those of 'a' [0, 8]", e.Message);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "tensor 'a': data starts at byte 4 but the previous tensor ends at 0")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 9, "cover 4 bytes of data but the data section holds 9")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", 8, "tensor 'a': data_offsets [0, 12] lie outside the data section of 8 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "tensor 'a': shape [3] of F32 needs 12 bytes but data_offsets [0, 8] span 8")]
    [InlineData("""{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}""", 1, "tensor 'a': unknown dtype \"Q4\"")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", 0, "tensor 'a': shape")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", 4, "tensor 'a': has no \"data_offsets\"")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "lists 'a' twice")]
    [InlineData("""{"__metadata__":{"epoch":3}}""", 0, "__metadata__ entry 'epoch' is not a string")]
    [InlineData("""{"a": nonsense""", 0, "the header is not valid JSON")]
    [InlineData("""[1, 2]""", 0, "the header is not a JSON object")]
    public void Corrupt_headers_are_one_clear_error_each(string json, int dataBytes, string expected)
    {
        var path = WriteRaw(json, new byte[dataBytes]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Unknown_dtype_lists_the_known_ones()
    {
        var path = WriteRaw("""{"x.weight":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""", new byte[1]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains("tensor 'x.weight': unknown dtype \"F8_E4M3\"; this reader knows F32, F64", e.Message);
    }

    [Fact]
    public void Expected_shapes_report_missing_extra_and_wrong_tensors_together()
    {
        var path = PathOf("m.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["0.weight"] = Tensor.Zeros(Shape.Of(6, 1, 3, 3)),
            ["0.bias"] = Tensor.Zeros(Shape.Of(6)),
            ["9.weight"] = Tensor.Zeros(Shape.Of(2)),
        });
        var expected = new Dictionary<string, Shape>
        {
            ["0.weight"] = Shape.Of(6, 1, 5, 5), ["0.bias"] = Shape.Of(6), ["3.weight"] = Shape.Of(16, 6, 5, 5),
        };
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path, expected));
        Assert.Contains("tensor '0.weight' is 6×1×3×3 in the file but the model needs 6×1×5×5", e.Message);
        Assert.Contains("tensor '3.weight' (16×6×5×5) is missing", e.Message);
        Assert.Contains("tensor '9.weight' (2) is not part of the model", e.Message);
        Assert.DoesNotContain("'0.bias'", e.Message);

        var ok = new Dictionary<string, Shape> { ["0.weight"] = Shape.Of(6, 1, 3, 3), ["0.bias"] = Shape.Of(6), ["9.weight"] = Shape.Of(2) };
        Assert.Equal(3, SafeTensors.Load(path, ok).Tensors.Count);
    }

    [Fact]
    public void Missing_file_and_bad_names_or_dtypes_are_clear_errors()
    {
        Assert.Contains("checkpoint not found", Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(PathOf("none"))).Message);
        var one = new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Scalar(1) };
        Assert.Throws<ArgumentException>(() => SafeTensors.Save(PathOf("x"), one));
        var t = new Dictionary<string, Tensor> { ["a"] = Tensor.Scalar(1) };
        Assert.Contains("writable dtypes are F32, F64, I64",
            Assert.Throws<ArgumentException>(() => SafeTensors.Save(PathOf("x"), t, null, new Dictionary<string, string> { ["a"] = "F16" })).Message);
        Assert.False(File.Exists(PathOf("x")));
    }
}
