using System.Text.Json.Nodes;
using Functional.Backends;
using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Primitives;

namespace Functional.Io.Description;

/// <summary>
/// A <see cref="Layer"/> value as a JSON element: one object per layer with its <c>type</c> and every
/// hyper-parameter written out (defaults included), so the reader needs no defaults of its own and a description
/// means the same network in every later build that reads its format.
/// </summary>
internal static class NetworkWriter
{
    public static JsonObject Write(Layer layer, string element) => layer switch
    {
        Chain c => Of("chain", ("layers", Array(c.Layers.Select((l, i) => Write(l, $"{element}.layers[{i}]"))))),
        Residual r => Of("residual", ("block", Write(r.Block, $"{element}.block")),
            ("shortcut", r.Shortcut is null ? null : Write(r.Shortcut, $"{element}.shortcut")),
            ("after", r.After is null ? null : Write(r.After, $"{element}.after"))),
        Concat c => Of("concat", ("branches", Array(c.Branches.Select((l, i) => Write(l, $"{element}.branches[{i}]"))))),
        Named n => Of("named", ("name", n.Name), ("layer", Write(n.Layer, $"{element}.layer"))),
        ConvLayer c => Of("conv", ("filters", c.Filters), ("kernel", Dims(c.Kernel)), ("stride", Dims(c.Stride)),
            ("padding", Padding(c.Padding)), ("dilation", Dims(c.Dilation)), ("groups", c.Groups), ("bias", c.Bias),
            ("padding_mode", Name(c.Mode)), ("rank", c.Rank), ("depthwise", c.Depthwise)),
        ConvTransposeLayer t => Of("conv_transpose", ("filters", t.Filters), ("kernel", Dims(t.Kernel)), ("stride", Dims(t.Stride)),
            ("padding", Dims(t.Padding)), ("output_padding", Dims(t.OutputPadding)), ("dilation", Dims(t.Dilation)),
            ("groups", t.Groups), ("bias", t.Bias)),
        LocallyConnectedLayer l => Of("locally_connected", ("filters", l.Filters), ("kernel", Dims(l.Kernel)), ("stride", Dims(l.Stride)),
            ("padding", Dims(l.Padding)), ("dilation", Dims(l.Dilation)), ("bias", l.Bias)),
        PoolLayer p => Of(p.Type == PoolType.Max ? "max_pool" : "avg_pool", ("kernel", Dims(p.Kernel)),
            ("stride", p.Stride is { } s ? Dims(s) : null), ("padding", p.Padding is { } q ? Dims(q) : null),
            ("dilation", p.Dilation is { } d ? Dims(d) : null), ("ceil_mode", p.CeilMode), ("count_include_pad", p.CountIncludePad)),
        AdaptivePoolLayer a => a.Global ? Of("global_avg_pool") : Of("adaptive_avg_pool", ("size", Dims(a.Size))),
        DenseLayer d => Of("dense", ("units", d.Units), ("bias", d.Bias)),
        ActivationLayer a => Activation(a, element),
        SoftmaxLayer s => Of(s.Log ? "log_softmax" : "softmax"),
        FlattenLayer => Of("flatten"),
        Identity => Of("identity"),
        BatchNormLayer b => Of("batch_norm", ("momentum", b.Momentum), ("eps", b.Eps)),
        DropoutLayer d => Of("dropout", ("p", d.P)),
        ChannelSelect c => Of("channels", ("channels", Array(c.Channels.Select(i => (JsonNode)i)))),
        ChannelAffine => Of("channel_affine"),
        _ when FunctionLayerDescriptions.Write(layer) is { } described => described,
        _ => throw new NetworkFormatException(element,
            $"{layer.Description} is a {layer.GetType().FullName}, a layer type this library does not define, so it has no description; " +
            "load such a checkpoint with ModelCheckpoint.Load(path, architecture)."),
    };

    private static JsonObject Activation(ActivationLayer a, string element) => a.Activation.Op switch
    {
        UnaryOp.ReLU => Of("relu"),
        UnaryOp.LeakyReLU => Of("leaky_relu", ("slope", a.Activation.Alpha)),
        UnaryOp.Sigmoid => Of("sigmoid"),
        UnaryOp.Tanh => Of("tanh"),
        _ => throw new NetworkFormatException(element, $"the activation {a.Description} has no description."),
    };

    private static JsonObject Of(string type, params (string Key, object? Value)[] fields)
    {
        var obj = new JsonObject { ["type"] = type };
        foreach (var (key, value) in fields)
            obj[key] = value switch
            {
                null => null,
                JsonNode n => n,
                int i => i,
                bool b => b,
                float f => f,
                string s => s,
                _ => throw new InvalidOperationException($"NetworkWriter: no JSON form for {value.GetType()}."),
            };
        return obj;
    }

    private static JsonArray Array(IEnumerable<JsonNode> items) => new([.. items]);

    private static JsonArray Dims(PerDim p) => Array(p.Values.Select(v => (JsonNode)v));

    // Rules by name; explicit amounts as an array (one value for every dim, or one per dim).
    private static JsonNode Padding(Padding p) => p.Kind == PaddingKind.Explicit
        ? Array(p.Amounts!.Select(v => (JsonNode)v))
        : JsonValue.Create(p.Kind.ToString().ToLowerInvariant());

    private static string Name(PaddingMode mode) => mode.ToString().ToLowerInvariant();
}
