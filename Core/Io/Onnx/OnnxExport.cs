using Functional.Data;
using Functional.Io.Description;
using Functional.Network;

namespace Functional.Io.Onnx;

/// <summary>
/// Writes a model as an ONNX file (opset 19) that any ONNX runtime can run: the graph in inference form (batch norm
/// with running statistics, dropout as identity), the parameters as initializers named by their paths, a dynamic
/// batch dim on the input <c>input</c> and the output <c>output</c>. The model's metadata (<c>functional.network</c>)
/// holds the network's description, so that <see cref="Onnx.Import(string)"/> gives back an equal network.
/// </summary>
public static class OnnxExport
{
    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/> atomically (a reader never sees half a file).
    /// </summary>
    /// <param name="normalization">When given, the graph starts with Sub and Div nodes applying it, so it takes
    /// inputs as the data reader yields them (pixels scaled to [0, 1]); the doc string records it.</param>
    /// <exception cref="OnnxExportException">A layer has no ONNX form; the message names its path.</exception>
    public static void ExportOnnx(this Model model, string path, Normalization? normalization = null) =>
        AtomicFile.WriteAllBytes(path, ToOnnx(model, normalization));

    /// <summary>The ONNX model's bytes (see <see cref="ExportOnnx"/>).</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX form; the message names its path.</exception>
    public static byte[] ToOnnx(this Model model, Normalization? normalization = null) =>
        ToOnnx(model, normalization, NetworkDescription.CanDescribe(model.Architecture) ? NetworkDescription.Write(model.Architecture) : null);

    /// <summary>The model's bytes with <paramref name="description"/> as the recorded network (none when null).</summary>
    internal static byte[] ToOnnx(Model model, Normalization? normalization, string? description)
    {
        var graph = new OnnxGraph();
        var input = graph.Reserve("input");
        var x = input;
        var doc = $"Functional model {model.InputShape} → {model.OutputShape}; {model.Parameters.ElementCount:N0} parameters.";
        if (normalization is not null)
        {
            var channels = model.InputShape[0];
            if (normalization.Mean.Length != channels)
                throw new OnnxExportException("", $"the normalisation has {normalization.Mean.Length} channels but the model's input {model.InputShape} has {channels}.");
            long[] dims = [channels, .. Enumerable.Repeat(1L, model.InputShape.Rank - 1)];
            x = graph.Add("normalize.sub", "Sub", [x, graph.Floats("normalize.mean", dims, [.. normalization.Mean])]);
            x = graph.Add("normalize.div", "Div", [x, graph.Floats("normalize.std", dims, [.. normalization.Std])]);
            doc += $" The graph normalises its input first ({normalization}): feed it pixels scaled to [0, 1].";
        }
        var y = new OnnxEmitter(graph, model.Parameters, model.State).Emit(model.Architecture, x, model.InputShape.WithBatch(1), "");
        var output = graph.Add("output", "Identity", [y]);
        // The exact network rides along for import (see OnnxDescribed); a layer type from outside the library has no description.
        var metadata = new Dictionary<string, string>();
        if (description is not null) metadata[OnnxDescribed.Key] = description;
        return OnnxModelWriter.Write(graph, "functional", doc, new OnnxValue(input, model.InputShape), new OnnxValue(output, model.OutputShape), metadata);
    }
}
