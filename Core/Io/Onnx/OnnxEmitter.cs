using Functional.Backends;
using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Primitives;

namespace Functional.Io.Onnx;

/// <summary>
/// Walks a layer tree and appends its inference form to an <see cref="OnnxGraph"/>: one method per layer kind,
/// each taking the value name of its input and returning that of its output. Node and weight names follow the
/// model's parameter paths (<c>layer1.0.conv1</c>, <c>layer1.0.conv1.weight</c>). Shapes are followed with a batch
/// of one so that layers whose ONNX form depends on them (pads, reshapes) can be resolved at export time.
/// </summary>
internal sealed partial class OnnxEmitter(OnnxGraph graph, TensorTree parameters, TensorTree state)
{
    /// <summary>Appends <paramref name="layer"/> at <paramref name="path"/> reading value <paramref name="x"/>
    /// of batched shape <paramref name="shape"/>; returns the output value's name.</summary>
    public string Emit(Layer layer, string x, Shape shape, string path) => layer switch
    {
        Chain c => EmitChain(c, x, shape, path),
        Named n => Emit(n.Layer, x, shape, path),
        Residual r => EmitResidual(r, x, shape, path),
        Concat c => graph.Add(NodeName(path, "concat"), "Concat",
            c.Branches.Select((b, i) => Emit(b, x, shape, Site.Join(path, Segment(b, i)))).ToArray(), OnnxAttribute.Int("axis", 1)),
        Identity or DropoutLayer => graph.Add(NodeName(path, "identity"), "Identity", [x]),
        ConvLayer conv => EmitConv(conv, x, shape, path),
        ConvTransposeLayer t => EmitConvTranspose(t, x, shape, path),
        LocallyConnectedLayer l => EmitLocallyConnected(l, x, shape, path),
        PoolLayer p => EmitPool(p, x, shape, path),
        AdaptivePoolLayer a => EmitAdaptivePool(a, x, shape, path),
        DenseLayer d => graph.Add(NodeName(path, "gemm"), "Gemm",
            d.Bias ? [x, Weight(path, "weight"), Weight(path, "bias")] : [x, Weight(path, "weight")], OnnxAttribute.Int("transB", 1)),
        FlattenLayer => graph.Add(NodeName(path, "flatten"), "Flatten", [x], OnnxAttribute.Int("axis", 1)),
        ActivationLayer a => EmitActivation(a, x, path),
        SoftmaxLayer s => graph.Add(NodeName(path, s.Log ? "log_softmax" : "softmax"), s.Log ? "LogSoftmax" : "Softmax", [x], OnnxAttribute.Int("axis", 1)),
        BatchNormLayer b => graph.Add(NodeName(path, "batch_norm"), "BatchNormalization",
            [x, Weight(path, "weight"), Weight(path, "bias"), State(path, "running_mean"), State(path, "running_var")],
            OnnxAttribute.Float("epsilon", b.Eps)),
        ChannelSelect s => graph.Add(NodeName(path, "channels"), "Gather",
            [x, graph.Int64s(Site.Join(path, "channels"), s.Channels.Select(c => (long)c).ToArray())], OnnxAttribute.Int("axis", 1)),
        ChannelAffine => EmitChannelAffine(x, shape, path),
        PadLayer p => graph.Add(NodeName(path, "pad"), "Pad",
            [x, graph.Int64s(Site.Join(path, "pads"), [0, 0, .. p.Before.Select(b => (long)b), 0, 0, .. p.After.Select(a => (long)a)])],
            OnnxAttribute.Text("mode", PadMode(p.Mode))),
        Functional.Network.Functions.FunctionLayer f => EmitFunction(f, x, shape, path),
        _ => throw new OnnxExportException(path, $"{layer.Description} ({layer.GetType().Name}) has no ONNX form in this exporter."),
    };

    private string EmitChain(Chain chain, string x, Shape shape, string path)
    {
        for (var i = 0; i < chain.Layers.Length; i++)
        {
            var layer = chain.Layers[i];
            x = Emit(layer, x, shape, Site.Join(path, Segment(layer, i)));
            shape = layer.Infer(shape, Site.Root);
        }
        return x;
    }

    private string EmitResidual(Residual r, string x, Shape shape, string path)
    {
        var main = Emit(r.Block, x, shape, path);
        var shortcut = r.ShortcutFor(shape, Site.Root);
        var side = shortcut is Identity ? x : Emit(shortcut, x, shape, Site.Join(path, Residual.ShortcutName));
        var sum = graph.Add(NodeName(path, "add"), "Add", [main, side]);
        return r.After is null ? sum : Emit(r.After, sum, r.Block.Infer(shape, Site.Root), Site.Join(path, Residual.AfterName));
    }

    private string EmitActivation(ActivationLayer a, string x, string path) => a.Activation.Op switch
    {
        UnaryOp.ReLU => graph.Add(NodeName(path, "relu"), "Relu", [x]),
        UnaryOp.LeakyReLU => graph.Add(NodeName(path, "leaky_relu"), "LeakyRelu", [x], OnnxAttribute.Float("alpha", a.Activation.Alpha)),
        UnaryOp.Sigmoid => graph.Add(NodeName(path, "sigmoid"), "Sigmoid", [x]),
        UnaryOp.Tanh => graph.Add(NodeName(path, "tanh"), "Tanh", [x]),
        _ => throw new OnnxExportException(path, $"the activation {a.Description} has no ONNX form in this exporter."),
    };

    // y = x·w + b per channel: w and b become C×1×…×1 constants that broadcast against N×C×spatial.
    private string EmitChannelAffine(string x, Shape shape, string path)
    {
        long[] dims = [shape[1], .. Enumerable.Repeat(1L, shape.Rank - 2)];
        var w = graph.Floats(Site.Join(path, "weight"), dims, Parameter(path, "weight").ToArray());
        var b = graph.Floats(Site.Join(path, "bias"), dims, Parameter(path, "bias").ToArray());
        return graph.Add(NodeName(path, "add"), "Add", [graph.Add(NodeName(path, "mul"), "Mul", [x, w]), b]);
    }

    /// <summary>A parameter as an initializer named by its path.</summary>
    private string Weight(string path, string name) => graph.Floats(Site.Join(path, name), Parameter(path, name));

    private string State(string path, string name)
    {
        var full = Site.Join(path, name);
        return graph.Floats(full, state.Find(full) ?? throw new OnnxExportException(path, $"the model's state has no tensor '{full}'."));
    }

    private Tensor Parameter(string path, string name)
    {
        var full = Site.Join(path, name);
        return parameters.Find(full) ?? throw new OnnxExportException(path, $"the model has no parameter '{full}'.");
    }

    // A root layer has no path; its node is named after what it does.
    private static string NodeName(string path, string what) => path.Length == 0 ? what : path;

    // Chain and Concat address a child by its name when it has one, else by its position.
    private static string Segment(Layer layer, int i) => layer is Named n ? n.Name : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
