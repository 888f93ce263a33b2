using System.Buffers.Binary;
using Google.Protobuf;
using WireType = Google.Protobuf.WireFormat.WireType;

namespace Functional.Io.Onnx;

/// <summary>A parsed ONNX graph: nodes as written, initializers by name, the graph's input (per-sample shape) and output.</summary>
internal sealed record OnnxFile(string Path, long Opset, IReadOnlyList<OnnxNode> Nodes, IReadOnlyDictionary<string, OnnxInitializer> Initializers,
    string Input, Shape InputShape, string Output, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Parses an ONNX <c>ModelProto</c> (field numbers as in <see cref="OnnxModelWriter"/>), keeping what the importer
/// needs: nodes, initializers (float32 and int64, raw or typed), the graph's input and output.
/// </summary>
internal static class OnnxModelReader
{
    public static OnnxFile Read(string path, byte[] bytes)
    {
        var opset = 0L;
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxInitializer>();
        var inputs = new List<(string Name, List<long> Dims)>();
        var outputs = new List<string>();
        var metadata = new Dictionary<string, string>();
        var model = new ProtoReader(ByteString.CopyFrom(bytes), path);
        model.Fields((field, type) =>
        {
            if (type != WireType.LengthDelimited) return false;
            if (field == 8)
            {
                var (domain, version) = ("", 0L);
                var o = model.Message("opset_import");
                o.Fields((f, _) => { if (f == 1) domain = o.String(); else if (f == 2) version = o.Int64(); else return false; return true; });
                if (domain is "" or "ai.onnx") opset = version;
                return true;
            }
            if (field == 14)
            {
                // metadata_props: StringStringEntryProto { key 1, value 2 }.
                var (key, value) = ("", "");
                var entry = model.Message("metadata entry");
                entry.Fields((f, _) => { if (f == 1) key = entry.String(); else if (f == 2) value = entry.String(); else return false; return true; });
                metadata[key] = value;
                return true;
            }
            if (field != 7) return false;
            var g = model.Message("graph");
            g.Fields((f, t) =>
            {
                if (t != WireType.LengthDelimited) return false;
                switch (f)
                {
                    case 1: nodes.Add(Node(g.Message($"node {nodes.Count}"), path)); return true;
                    case 5: var init = Tensor(g.Message($"initializer {initializers.Count}"), path); initializers[init.Name] = init; return true;
                    case 11: inputs.Add(Value(g.Message("input"))); return true;
                    case 12: outputs.Add(Value(g.Message("output")).Name); return true;
                    default: return false;
                }
            });
            return true;
        });
        // PyTorch writes some constants (pads, shapes) as Constant nodes: they are initializers by another name.
        foreach (var constant in nodes.Where(n => n.OpType == "Constant").ToList())
        {
            if (constant.Outputs.Count != 1 || constant.Attributes.FirstOrDefault(a => a.Name == "value")?.Value is not OnnxInitializer value)
                throw new OnnxFormatException($"{path}: Constant node '{constant.Name}' (opset {opset}) holds no tensor 'value'; import supports only that form.");
            initializers[constant.Outputs[0]] = value with { Name = constant.Outputs[0] };
            nodes.Remove(constant);
        }
        // Older exporters list initializers among the inputs too; the data input is the one that is not one.
        var data = inputs.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (data.Count != 1) throw new OnnxFormatException($"{path}: the graph has {data.Count} data inputs; a network takes exactly one.");
        if (outputs.Count != 1) throw new OnnxFormatException($"{path}: the graph has {outputs.Count} outputs; a network gives exactly one.");
        var dims = data[0].Dims;
        if (dims.Count < 2 || dims.Skip(1).Any(d => d < 1 || d > int.MaxValue))
            throw new OnnxFormatException($"{path}: the input '{data[0].Name}' has shape [{string.Join(", ", dims)}]; import needs a batch dim and fixed positive per-sample dims.");
        return new OnnxFile(path, opset, nodes, initializers, data[0].Name, Shape.Of(dims.Skip(1).Select(d => (int)d)), outputs[0], metadata);
    }

    private static OnnxNode Node(ProtoReader r, string path)
    {
        var (inputs, outputs, attributes) = (new List<string>(), new List<string>(), new List<OnnxAttribute>());
        var (name, op) = ("", "");
        r.Fields((f, t) =>
        {
            switch (f)
            {
                case 1: inputs.Add(r.String()); return true;
                case 2: outputs.Add(r.String()); return true;
                case 3: name = r.String(); return true;
                case 4: op = r.String(); return true;
                case 5: attributes.Add(Attribute(r.Message("attribute"), path)); return true;
                default: return false;
            }
        });
        return new OnnxNode(name, op, inputs, outputs, attributes);
    }

    private static OnnxAttribute Attribute(ProtoReader r, string path)
    {
        var name = "";
        object? value = null;
        var ints = new List<long>();
        var floats = new List<float>();
        r.Fields((f, t) =>
        {
            switch (f)
            {
                case 1: name = r.String(); return true;
                case 2: value = r.Float(); return true;
                case 3: value = r.Int64(); return true;
                case 4: value = r.Bytes().ToStringUtf8(); return true;
                case 5: value = Tensor(r.Message("tensor"), path); return true;
                case 7: r.Floats(t, floats); return true;
                case 8: r.Int64s(t, ints); return true;
                default: return false;
            }
        });
        return new OnnxAttribute(name, value ?? (ints.Count > 0 ? ints.ToArray() : floats.Count > 0 ? floats.ToArray() : Array.Empty<long>()));
    }

    private static OnnxInitializer Tensor(ProtoReader r, string path)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        var longs = new List<long>();
        var (name, dataType, raw) = ("", 0L, ByteString.Empty);
        r.Fields((f, t) =>
        {
            switch (f)
            {
                case 1: r.Int64s(t, dims); return true;
                case 2: dataType = r.Int64(); return true;
                case 4: r.Floats(t, floats); return true;
                case 7: r.Int64s(t, longs); return true;
                case 8: name = r.String(); return true;
                case 9: raw = r.Bytes(); return true;
                default: return false;
            }
        });
        if (dims.Any(d => d < 0)) throw new OnnxFormatException($"{path}: initializer '{name}' has a negative dim: [{string.Join(", ", dims)}].");
        var count = dims.Aggregate(1L, (a, d) => checked(a * d));
        var size = dataType switch
        {
            1 => 4,
            7 => 8,
            _ => throw new OnnxFormatException($"{path}: initializer '{name}' has data type {dataType}; import reads float32 (1) and int64 (7) tensors."),
        };
        var have = raw.Length > 0 ? raw.Length / size : size == 4 ? floats.Count : longs.Count;
        if (have != count || (raw.Length > 0 && raw.Length != count * size))
            throw new OnnxFormatException($"{path}: initializer '{name}' of shape [{string.Join(", ", dims)}] needs {count} values but holds {have}.");
        if (size == 4)
        {
            var values = raw.Length > 0 ? new float[count] : floats.ToArray();
            for (var i = 0; raw.Length > 0 && i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Span[(i * 4)..]);
            return new OnnxInitializer(name, dims, values, null);
        }
        var ints = raw.Length > 0 ? new long[count] : longs.ToArray();
        for (var i = 0; raw.Length > 0 && i < count; i++) ints[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.Span[(i * 8)..]);
        return new OnnxInitializer(name, dims, null, ints);
    }

    // ValueInfoProto → TypeProto.tensor_type → shape → dims (a named or absent dim reads as 0: dynamic).
    private static (string Name, List<long> Dims) Value(ProtoReader r)
    {
        var (name, dims) = ("", new List<long>());
        r.Fields((f, t) =>
        {
            if (f == 1) { name = r.String(); return true; }
            if (f != 2) return false;
            var type = r.Message("type");
            type.Fields((tf, _) =>
            {
                if (tf != 1) return false;
                var tensor = type.Message("tensor_type");
                tensor.Fields((ef, _) =>
                {
                    if (ef != 2) return false;
                    var shape = tensor.Message("shape");
                    shape.Fields((sf, _) =>
                    {
                        if (sf != 1) return false;
                        var dim = shape.Message("dim");
                        var value = 0L;
                        dim.Fields((df, _) => { if (df != 1) return false; value = dim.Int64(); return true; });
                        dims.Add(value);
                        return true;
                    });
                    return true;
                });
                return true;
            });
            return true;
        });
        return (name, dims);
    }
}
