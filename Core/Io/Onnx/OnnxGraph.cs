namespace Functional.Io.Onnx;

/// <summary>An ONNX node attribute: an int64, a float, a string, or a list of int64s.</summary>
internal sealed record OnnxAttribute(string Name, object Value)
{
    public static OnnxAttribute Int(string name, long value) => new(name, value);
    public static OnnxAttribute Float(string name, float value) => new(name, value);
    public static OnnxAttribute Text(string name, string value) => new(name, value);
    public static OnnxAttribute Ints(string name, IEnumerable<int> values) => new(name, values.Select(v => (long)v).ToArray());
}

/// <summary>One operator application: its inputs and outputs are value names.</summary>
internal sealed record OnnxNode(string Name, string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>A constant tensor of the graph: float32 (weights) or int64 (shapes, pads, indices).</summary>
internal sealed record OnnxInitializer(string Name, IReadOnlyList<long> Dims, float[]? Floats, long[]? Int64s);

/// <summary>
/// An ONNX graph under construction: nodes in topological order (each appended after its inputs exist) and the
/// initializers they read. Node and value names are unique; a clash gets a numeric suffix, so names stay readable.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly HashSet<string> names = [];

    public List<OnnxNode> Nodes { get; } = [];

    public List<OnnxInitializer> Initializers { get; } = [];

    /// <summary>Appends a node with one output named like the node; returns the output's name.</summary>
    public string Add(string name, string opType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        var unique = Unique(name.Length == 0 ? opType : name);
        Nodes.Add(new OnnxNode(unique, opType, inputs, [unique], attributes));
        return unique;
    }

    /// <summary>A float32 initializer; returns its (unique) name.</summary>
    public string Floats(string name, IReadOnlyList<long> dims, float[] values)
    {
        var unique = Unique(name);
        Initializers.Add(new OnnxInitializer(unique, dims, values, null));
        return unique;
    }

    /// <summary>A float32 initializer holding a tensor's data.</summary>
    public string Floats(string name, Tensor tensor) => Floats(name, tensor.Shape.Dims.Select(d => (long)d).ToArray(), tensor.ToArray());

    /// <summary>An int64 initializer (a 1-d list unless dims say otherwise).</summary>
    public string Int64s(string name, long[] values, IReadOnlyList<long>? dims = null)
    {
        var unique = Unique(name);
        Initializers.Add(new OnnxInitializer(unique, dims ?? [values.Length], null, values));
        return unique;
    }

    /// <summary>Reserves a value name (the graph input).</summary>
    public string Reserve(string name) => Unique(name);

    private string Unique(string name)
    {
        var candidate = name;
        for (var i = 1; !names.Add(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }
}
