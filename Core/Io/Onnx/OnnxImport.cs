using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Primitives;

namespace Functional.Io.Onnx;

/// <summary>
/// Reads an ONNX file into a Functional model: the graph becomes a <see cref="Layer"/> (chains, residual sums and
/// channel concatenations) and its initializers the parameter and state trees, under the paths the layer gives them.
/// </summary>
public static class Onnx
{
    /// <summary>The operators import understands, in the forms PyTorch's exporter and <see cref="OnnxExport"/> write them.</summary>
    public static IReadOnlyList<string> SupportedOperators { get; } =
    [
        "Conv", "ConvTranspose", "Pad", "Gemm", "MatMul (+ Add)", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Softmax",
        "LogSoftmax", "MaxPool", "AveragePool", "GlobalAveragePool", "BatchNormalization", "Flatten", "Reshape (to N×features)",
        "Add (residual, or a per-channel constant)", "Mul, Sub, Div (by a per-channel constant)", "Concat (channels)", "Gather (channels)",
        "Identity", "Dropout", "Constant", "HardSwish", "Mish", "LayerNormalization (axis 1 or −k)", "InstanceNormalization",
        "Resize (integer scales: nearest asymmetric/floor, 2-d linear)", "Reshape (to [0…, -1, k…]: flatten of dims)",
        "Div, Erf, Add, Mul (GELU's Erf formula)", "Sigmoid, Mul (SiLU)", "Reshape, InstanceNormalization, Reshape, Mul, Add (GroupNorm)", "Shape, Gather, Unsqueeze, Squeeze, Concat, Reshape, Slice, Transpose, Cast, ConstantOfShape (folded: constants and the batch size)",
    ];

    /// <summary>Imports the network in <paramref name="path"/> as a model on the Reference backend.</summary>
    /// <exception cref="OnnxFormatException">The file is truncated or corrupt, its graph has a cycle, an initializer
    /// is missing or has the wrong shape, or a node is outside the supported subset (the message names the node,
    /// its op type and the opset, and lists what is supported).</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static Model Import(string path) => Import(path, File.ReadAllBytes(path));

    /// <summary>Imports an ONNX model held in memory; <paramref name="name"/> names it in messages.</summary>
    /// <exception cref="OnnxFormatException">As <see cref="Import(string)"/>.</exception>
    public static Model Import(string name, byte[] bytes)
    {
        OnnxFile file;
        ImportedLayer built;
        Model model;
        try
        {
            file = OnnxModelReader.Read(name, bytes);
            if (OnnxDescribed.Match(file) is { } exact) return exact;
            built = new OnnxGraphReader(file).Build();
            built.CheckRanks(built.Layer, file.InputShape.WithBatch(1), name);
        }
        // Attribute values out of range (a count past int, a layer's own argument checks) are the file's fault too.
        catch (Exception e) when (e is OverflowException or ArgumentException or ShapeException)
        {
            throw new OnnxFormatException($"{name}: {e.Message}", e);
        }
        try { model = ImportedLayer.Simplified(built.Layer, file.InputShape.WithBatch(1)).Init(file.InputShape, 0); }
        catch (Exception e) when (e is ShapeException or ArgumentException or OverflowException)
        {
            throw new OnnxFormatException($"{name}: the imported network does not fit its input {file.InputShape}: {e.Message}", e);
        }
        var tensors = built.Tensors(built.Layer);
        Tensor Take(string path, Tensor init)
        {
            if (!tensors.TryGetValue(path, out var t)) throw new OnnxFormatException($"{name}: no initializer gives the network's tensor '{path}' ({init.Shape}).");
            if (t.Shape != init.Shape)
                throw new OnnxFormatException($"{name}: the initializer for '{path}' has shape {t.Shape}, but the network needs {init.Shape}.");
            return t;
        }
        return model.WithParameters(model.Parameters.Map(Take)).WithState(model.State.Map(Take));
    }
}
