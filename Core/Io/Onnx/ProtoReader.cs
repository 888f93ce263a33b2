using Google.Protobuf;

namespace Functional.Io.Onnx;

/// <summary>
/// Reads one protobuf message's fields with Google.Protobuf's <see cref="CodedInputStream"/>, which checks every
/// length against the bytes left: a truncated or corrupt message is an <see cref="OnnxFormatException"/>, never a
/// read past the end.
/// </summary>
internal sealed class ProtoReader(ByteString bytes, string file, string what = "the model")
{
    private readonly CodedInputStream input = bytes.CreateCodedInput();

    /// <summary>Calls <paramref name="field"/> for each field (number, wire type) until the end of the message;
    /// fields it does not read are skipped.</summary>
    public void Fields(Func<int, WireFormat.WireType, bool> field)
    {
        try
        {
            for (uint tag; (tag = input.ReadTag()) != 0;)
                if (!field(WireFormat.GetTagFieldNumber(tag), WireFormat.GetTagWireType(tag))) input.SkipLastField();
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"{file}: {what} is truncated or corrupt: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    public long Int64() => input.ReadInt64();
    public float Float() => input.ReadFloat();
    public string String() => input.ReadString();
    public ByteString Bytes() => input.ReadBytes();
    public ProtoReader Message(string name) => new(input.ReadBytes(), file, $"{what}'s {name}");

    /// <summary>A repeated int64 field: packed (length-delimited) or one value per tag.</summary>
    public void Int64s(WireFormat.WireType type, List<long> into)
    {
        if (type != WireFormat.WireType.LengthDelimited) { into.Add(input.ReadInt64()); return; }
        var packed = input.ReadBytes().CreateCodedInput();
        while (!packed.IsAtEnd) into.Add(packed.ReadInt64());
    }

    /// <summary>A repeated float field: packed or one value per tag.</summary>
    public void Floats(WireFormat.WireType type, List<float> into)
    {
        if (type != WireFormat.WireType.LengthDelimited) { into.Add(input.ReadFloat()); return; }
        var packed = input.ReadBytes().CreateCodedInput();
        while (!packed.IsAtEnd) into.Add(packed.ReadFloat());
    }
}
