using System.Buffers.Binary;

namespace Functional.Io.Onnx;

/// <summary>
/// Serialises an <see cref="OnnxGraph"/> as an ONNX <c>ModelProto</c>. Field numbers are those of onnx.proto
/// (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
/// TensorShapeProto, OperatorSetIdProto); nothing here is generated code.
/// </summary>
internal static class OnnxModelWriter
{
    /// <summary>The opset the exporter writes: 19 has Pad's <c>wrap</c> mode (circular padding) and
    /// AveragePool's dilations.</summary>
    public const long Opset = 19;

    /// <summary>IR version 9 is the one that introduced opset 19.</summary>
    public const long IrVersion = 9;

    private const int FloatType = 1, Int64Type = 7;

    public static byte[] Write(OnnxGraph graph, string graphName, string docString, OnnxValue input, OnnxValue output,
        IReadOnlyDictionary<string, string> metadata)
    {
        var w = new ProtoWriter()
            .Int64(1, IrVersion)                                         // ModelProto.ir_version
            .String(2, "Functional")                                     // producer_name
            .String(3, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "0")
            .String(6, docString)                                        // doc_string
            .Message(7, g => Graph(g, graph, graphName, input, output))  // graph
            .Message(8, o => o.String(1, "").Int64(2, Opset));           // opset_import: default domain
        foreach (var (key, value) in metadata) w.Message(14, e => e.String(1, key).String(2, value));   // metadata_props
        return w.ToArray();
    }

    private static void Graph(ProtoWriter w, OnnxGraph graph, string name, OnnxValue input, OnnxValue output)
    {
        foreach (var node in graph.Nodes) w.Message(1, n => Node(n, node));   // GraphProto.node
        w.String(2, name);                                                    // name
        foreach (var init in graph.Initializers) w.Message(5, t => Tensor(t, init)); // initializer
        w.Message(11, v => Value(v, input));                                  // input
        w.Message(12, v => Value(v, output));                                 // output
    }

    private static void Node(ProtoWriter w, OnnxNode node)
    {
        foreach (var i in node.Inputs) w.String(1, i);
        foreach (var o in node.Outputs) w.String(2, o);
        w.String(3, node.Name).String(4, node.OpType);
        foreach (var a in node.Attributes) w.Message(5, m => Attribute(m, a));
    }

    // AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
    private static void Attribute(ProtoWriter w, OnnxAttribute a)
    {
        w.String(1, a.Name);
        switch (a.Value)
        {
            case long i: w.Int64(3, i).Int64(20, 2); break;
            case float f: w.Float(2, f).Int64(20, 1); break;
            case string s: w.Bytes(4, System.Text.Encoding.UTF8.GetBytes(s)).Int64(20, 3); break;
            case long[] ints: w.PackedInt64(8, ints).Int64(20, 7); break;
            default: throw new InvalidOperationException($"ONNX attribute {a.Name}: no encoding for {a.Value.GetType()}.");
        }
    }

    // TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian, as the specification requires).
    private static void Tensor(ProtoWriter w, OnnxInitializer t)
    {
        w.PackedInt64(1, t.Dims).Int64(2, t.Floats is not null ? FloatType : Int64Type).String(8, t.Name);
        if (t.Floats is { } floats)
        {
            var raw = new byte[floats.Length * 4];
            for (var i = 0; i < floats.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), floats[i]);
            w.Bytes(9, raw);
        }
        else
        {
            var longs = t.Int64s!;
            var raw = new byte[longs.Length * 8];
            for (var i = 0; i < longs.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), longs[i]);
            w.Bytes(9, raw);
        }
    }

    // ValueInfoProto { name 1, type 2 } → TypeProto { tensor_type 1 } → Tensor { elem_type 1, shape 2 } →
    // TensorShapeProto { dim 1 } → Dimension { dim_value 1 | dim_param 2 }.
    private static void Value(ProtoWriter w, OnnxValue value) =>
        w.String(1, value.Name).Message(2, type => type.Message(1, tensor => tensor.Int64(1, FloatType).Message(2, shape =>
        {
            shape.Message(1, d => d.String(2, "batch"));
            foreach (var dim in value.PerSample.Dims) shape.Message(1, d => d.Int64(1, dim));
        })));
}

/// <summary>A graph input or output: float32, a dynamic batch dim named <c>batch</c>, then the per-sample shape.</summary>
internal sealed record OnnxValue(string Name, Shape PerSample);
