using Functional.Io.Description;
using Functional.Network;

namespace Functional.Io.Onnx;

/// <summary>
/// The exact network of a file this library exported. Several networks have the same ONNX graph (<c>Same</c>
/// padding and its pads, a named layer and a position, an adaptive and a fixed pooling), so the exporter records
/// the network's description in the model's metadata. Import believes it only when exporting the described
/// network, with the file's initializers as its tensors, writes the file's graph again node for node and value for
/// value; anything else (an edited graph, a foreign file) is read from the graph alone.
/// </summary>
internal static class OnnxDescribed
{
    /// <summary>The metadata key holding the description (<see cref="NetworkDescription"/>'s JSON).</summary>
    public const string Key = "functional.network";

    /// <summary>The described model when it reproduces <paramref name="file"/>'s graph, else null.</summary>
    public static Model? Match(OnnxFile file)
    {
        if (!file.Metadata.TryGetValue(Key, out var json)) return null;
        try
        {
            var model = NetworkDescription.Read(json).Init(file.InputShape, 0);
            Tensor? Take(string path, Tensor init) => file.Initializers.TryGetValue(path, out var t) && t.Floats is { } values && values.Length == init.Count
                ? Tensor.FromArray(init.Shape, t.Dims.Count == 3 && init.Shape.Rank == 6 ? Unshared(values, init.Shape) : values)
                : null;
            var missing = false;
            Tensor Fill(string path, Tensor init)
            {
                var t = Take(path, init);
                missing |= t is null;
                return t ?? init;
            }
            model = model.WithParameters(model.Parameters.Map(Fill)).WithState(model.State.Map(Fill));
            if (missing) return null;
            return Same(file, OnnxModelReader.Read(file.Path, model.ToOnnx())) ? model : null;
        }
        catch (Exception e) when (e is NetworkFormatException or ShapeException or ArgumentException or OverflowException or OnnxExportException or OnnxFormatException)
        {
            return null;
        }
    }

    // A locally connected weight travels as positions × (C·kH·kW) × C_out (see the emitter); the layer holds it as
    // oH × oW × C_out × C × kH × kW.
    private static float[] Unshared(float[] matrices, Shape shape)
    {
        var (positions, cOut, k) = (shape[0] * shape[1], shape[2], shape[3] * shape[4] * shape[5]);
        var w = new float[matrices.Length];
        for (var p = 0; p < positions; p++)
            for (var o = 0; o < cOut; o++)
                for (var i = 0; i < k; i++)
                    w[(p * cOut + o) * k + i] = matrices[(p * k + i) * cOut + o];
        return w;
    }

    private static bool Same(OnnxFile a, OnnxFile b) =>
        a.Input == b.Input && a.InputShape == b.InputShape && a.Output == b.Output && a.Opset == b.Opset &&
        a.Nodes.Count == b.Nodes.Count && a.Nodes.Zip(b.Nodes).All(p => Same(p.First, p.Second)) &&
        a.Initializers.Count == b.Initializers.Count && a.Initializers.All(p => b.Initializers.TryGetValue(p.Key, out var other) && Same(p.Value, other));

    private static bool Same(OnnxNode a, OnnxNode b) =>
        a.Name == b.Name && a.OpType == b.OpType && a.Inputs.SequenceEqual(b.Inputs) && a.Outputs.SequenceEqual(b.Outputs) &&
        a.Attributes.Count == b.Attributes.Count && a.Attributes.Zip(b.Attributes).All(p => p.First.Name == p.Second.Name && Same(p.First.Value, p.Second.Value));

    private static bool Same(object a, object b) => (a, b) switch
    {
        (long[] x, long[] y) => x.AsSpan().SequenceEqual(y),
        (float[] x, float[] y) => x.AsSpan().SequenceEqual(y),
        (OnnxInitializer x, OnnxInitializer y) => Same(x, y),
        _ => a.Equals(b),
    };

    // Bit for bit: the same float values, not merely close ones.
    private static bool Same(OnnxInitializer a, OnnxInitializer b) =>
        a.Dims.SequenceEqual(b.Dims) &&
        (a.Floats is { } f ? b.Floats is { } g && f.AsSpan().SequenceEqual(g) : b.Int64s is { } j && a.Int64s!.AsSpan().SequenceEqual(j));
}
