using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Primitives;
using Functional.Ops;
using Concat = Functional.Network.Combinators.Concat;

namespace Functional.Io.Description;

/// <summary>
/// The inverse of <see cref="NetworkWriter"/>: every field is required (null where the writer writes null), so a
/// description never gains a default the writer did not mean. Errors name the element and the field.
/// </summary>
internal static class NetworkReader
{
    public static Layer Read(JsonNode? node, string element)
    {
        var obj = node as JsonObject ?? throw new NetworkFormatException(element, $"expected a layer object, found {Kind(node)}.");
        var type = String(obj, "type", element);
        return type switch
        {
            "chain" => Chain.Of(List(obj, "layers", element).Select((n, i) => Read(n, $"{element}.layers[{i}]"))),
            "residual" => new Residual(Read(Field(obj, "block", element), $"{element}.block"),
                OptionalLayer(obj, "shortcut", element), OptionalLayer(obj, "after", element)),
            "concat" => new Concat(List(obj, "branches", element).Select((n, i) => Read(n, $"{element}.branches[{i}]")).ToArray()),
            "named" => Guarded(element, () => new Named(String(obj, "name", element), Read(Field(obj, "layer", element), $"{element}.layer"))),
            "conv" => new ConvLayer(Int(obj, "filters", element), Dims(obj, "kernel", element), Dims(obj, "stride", element),
                Padding(obj, element), Dims(obj, "dilation", element), Int(obj, "groups", element), Bool(obj, "bias", element),
                Mode(obj, element), NullableInt(obj, "rank", element), Bool(obj, "depthwise", element)),
            "conv_transpose" => new ConvTransposeLayer(Int(obj, "filters", element), Dims(obj, "kernel", element), Dims(obj, "stride", element),
                Dims(obj, "padding", element), Dims(obj, "output_padding", element), Dims(obj, "dilation", element),
                Int(obj, "groups", element), Bool(obj, "bias", element)),
            "locally_connected" => new LocallyConnectedLayer(Int(obj, "filters", element), Dims(obj, "kernel", element),
                Dims(obj, "stride", element), Dims(obj, "padding", element), Dims(obj, "dilation", element), Bool(obj, "bias", element)),
            "max_pool" or "avg_pool" => new PoolLayer(type == "max_pool" ? PoolType.Max : PoolType.Average, Dims(obj, "kernel", element),
                NullableDims(obj, "stride", element), NullableDims(obj, "padding", element), NullableDims(obj, "dilation", element),
                Bool(obj, "ceil_mode", element), Bool(obj, "count_include_pad", element)),
            "global_avg_pool" => new AdaptivePoolLayer(1, Global: true),
            "adaptive_avg_pool" => new AdaptivePoolLayer(Dims(obj, "size", element)),
            "dense" => new DenseLayer(Int(obj, "units", element), Bool(obj, "bias", element)),
            "relu" => new ActivationLayer(Activation.ReLU),
            "leaky_relu" => new ActivationLayer(Activation.LeakyReLU(Float(obj, "slope", element))),
            "sigmoid" => new ActivationLayer(Activation.Sigmoid),
            "tanh" => new ActivationLayer(Activation.Tanh),
            "softmax" => new SoftmaxLayer(),
            "log_softmax" => new SoftmaxLayer(Log: true),
            "flatten" => new FlattenLayer(),
            "identity" => new Identity(),
            "batch_norm" => new BatchNormLayer(Float(obj, "momentum", element), Float(obj, "eps", element)),
            "dropout" => new DropoutLayer(Float(obj, "p", element)),
            "channels" => new ChannelSelect(List(obj, "channels", element).Select((n, i) => Int(n ?? throw new NetworkFormatException($"{element}.channels[{i}]", "is null."), $"{element}.channels[{i}]"))),
            "channel_affine" => new ChannelAffine(),
            _ when FunctionLayerDescriptions.Types.Contains(type) => FunctionLayerDescriptions.Read(type, obj, element),
            _ => throw new NetworkFormatException(element, $"unknown layer type '{type}'; this build reads {string.Join(", ", Types)}."),
        };
    }

    /// <summary>The layer types this build reads, for the unknown-type error.</summary>
    public static readonly ImmutableArray<string> Types =
    [
        "chain", "residual", "concat", "named", "conv", "conv_transpose", "locally_connected", "max_pool", "avg_pool",
        "global_avg_pool", "adaptive_avg_pool", "dense", "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax",
        "flatten", "identity", "batch_norm", "dropout", "channels", "channel_affine", .. FunctionLayerDescriptions.Types,
    ];

    private static T Guarded<T>(string element, Func<T> build)
    {
        try { return build(); }
        catch (ArgumentException e) { throw new NetworkFormatException(element, e.Message); }
    }

    private static JsonNode Field(JsonObject obj, string key, string element) =>
        obj.TryGetPropertyValue(key, out var value)
            ? value ?? throw new NetworkFormatException($"{element}.{key}", "is null but must be given.")
            : throw new NetworkFormatException(element, $"the {obj["type"]} layer lacks the field '{key}'.");

    private static JsonNode? NullableField(JsonObject obj, string key, string element) =>
        obj.TryGetPropertyValue(key, out var value) ? value
            : throw new NetworkFormatException(element, $"the {obj["type"]} layer lacks the field '{key}' (write null for none).");

    private static Layer? OptionalLayer(JsonObject obj, string key, string element) =>
        NullableField(obj, key, element) is { } n ? Read(n, $"{element}.{key}") : null;

    private static JsonArray List(JsonObject obj, string key, string element) =>
        Field(obj, key, element) as JsonArray ?? throw new NetworkFormatException($"{element}.{key}", $"expected an array, found {Kind(obj[key])}.");

    private static string String(JsonObject obj, string key, string element) => Scalar(Field(obj, key, element), $"{element}.{key}", (JsonValue v, out string s) => v.TryGetValue(out s!), "a string");

    private static int Int(JsonObject obj, string key, string element) => Int(Field(obj, key, element), $"{element}.{key}");

    private static int Int(JsonNode node, string element) => Scalar(node, element, (JsonValue v, out int i) => v.TryGetValue(out i), "an integer");

    private static int? NullableInt(JsonObject obj, string key, string element) =>
        NullableField(obj, key, element) is { } n ? Int(n, $"{element}.{key}") : null;

    private static bool Bool(JsonObject obj, string key, string element) =>
        Scalar(Field(obj, key, element), $"{element}.{key}", (JsonValue v, out bool b) => v.TryGetValue(out b), "true or false");

    private static float Float(JsonObject obj, string key, string element) =>
        Scalar(Field(obj, key, element), $"{element}.{key}", (JsonValue v, out float f) => v.TryGetValue(out f), "a number");

    private static PerDim Dims(JsonObject obj, string key, string element) => Dims(Field(obj, key, element), $"{element}.{key}");

    private static PerDim Dims(JsonNode node, string element)
    {
        var values = (node as JsonArray ?? throw new NetworkFormatException(element, $"expected an array of integers, found {Kind(node)}."))
            .Select((n, i) => Int(n ?? throw new NetworkFormatException($"{element}[{i}]", "is null."), $"{element}[{i}]")).ToArray();
        return Guarded(element, () => PerDim.Of(values));
    }

    private static PerDim? NullableDims(JsonObject obj, string key, string element) =>
        NullableField(obj, key, element) is { } n ? Dims(n, $"{element}.{key}") : null;

    private static Padding Padding(JsonObject obj, string element)
    {
        var node = Field(obj, "padding", element);
        if (node is JsonArray) return Functional.Padding.Of(Dims(node, $"{element}.padding").Values.ToArray());
        var rule = Scalar(node, $"{element}.padding", (JsonValue v, out string s) => v.TryGetValue(out s!), "an array or same/valid/full");
        return rule switch
        {
            "same" => Functional.Padding.Same,
            "valid" => Functional.Padding.Valid,
            "full" => Functional.Padding.Full,
            _ => throw new NetworkFormatException($"{element}.padding", $"'{rule}' is not a padding; give amounts or same, valid or full."),
        };
    }

    private static PaddingMode Mode(JsonObject obj, string element)
    {
        var name = String(obj, "padding_mode", element);
        return Enum.GetValues<PaddingMode>().FirstOrDefault(m => m.ToString().Equals(name, StringComparison.OrdinalIgnoreCase), (PaddingMode)(-1)) is var m && m >= 0
            ? m : throw new NetworkFormatException($"{element}.padding_mode", $"'{name}' is not a padding mode; give zeros, reflect, replicate or circular.");
    }

    private delegate bool TryRead<T>(JsonValue value, out T result);

    private static T Scalar<T>(JsonNode node, string element, TryRead<T> read, string expected) =>
        node is JsonValue v && read(v, out var result) ? result
            : throw new NetworkFormatException(element, $"expected {expected}, found {node.ToJsonString()}.");

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        JsonObject => "an object",
        _ => node.ToJsonString(),
    };
}
