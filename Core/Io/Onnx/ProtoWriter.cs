using Google.Protobuf;

namespace Functional.Io.Onnx;

/// <summary>
/// A protobuf message under construction, over Google.Protobuf's <see cref="CodedOutputStream"/>. A nested message
/// is written to its own buffer first because its length prefix must precede it; ONNX models are written once, so
/// the copy is cheap next to the tensor data.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream buffer = new();
    private readonly CodedOutputStream output;

    public ProtoWriter() => output = new CodedOutputStream(buffer, leaveOpen: true);

    public ProtoWriter Int64(int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
        return this;
    }

    public ProtoWriter String(int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    /// <summary>A repeated int64 field in packed form, as proto3 writes it.</summary>
    public ProtoWriter PackedInt64(int field, IReadOnlyList<long> values)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(values.Sum(CodedOutputStream.ComputeInt64Size));
        foreach (var v in values) output.WriteInt64(v);
        return this;
    }

    /// <summary>A repeated float field in packed form.</summary>
    public ProtoWriter PackedFloat(int field, IReadOnlyList<float> values)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteLength(values.Count * 4);
        foreach (var v in values) output.WriteFloat(v);
        return this;
    }

    public ProtoWriter Message(int field, Action<ProtoWriter> write)
    {
        var child = new ProtoWriter();
        write(child);
        return Bytes(field, child.ToArray());
    }

    public byte[] ToArray()
    {
        output.Flush();
        return buffer.ToArray();
    }
}
