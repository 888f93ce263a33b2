using System.Text.Json.Nodes;
using Functional.Backends;
using Functional.Network;
using Functional.Network.Functions;

namespace Functional.Io.Description;

/// <summary>
/// Descriptions of the layers built from tensor functions (GELU, SiLU, Hardswish, Mish, LayerNorm, GroupNorm,
/// InstanceNorm, Upsample, Flatten with dims), every hyper-parameter written out as <see cref="NetworkWriter"/>
/// does. A Lambda layer holds code, which no description can carry: it is left to the writer's unknown-type error.
/// </summary>
internal static class FunctionLayerDescriptions
{
    /// <summary>The layer types read here.</summary>
    public static readonly string[] Types = ["gelu", "silu", "hardswish", "mish", "layer_norm", "group_norm", "upsample", "flatten_range"];

    /// <summary>The description of <paramref name="layer"/>, or null when it is not one of these layers.</summary>
    public static JsonObject? Write(Layer layer) => layer switch
    {
        PointActivationLayer a => a.Op switch
        {
            PointOp.Gelu => Of("gelu", ("approximate", "none")),
            PointOp.GeluTanh => Of("gelu", ("approximate", "tanh")),
            PointOp.SiLU => Of("silu"),
            PointOp.Hardswish => Of("hardswish"),
            _ => Of("mish"),
        },
        LayerNormLayer n => Of("layer_norm", ("dims", n.Dims), ("eps", n.Eps)),
        GroupNormLayer g => Of("group_norm", ("groups", g.Groups), ("eps", g.Eps)),
        UpsampleLayer u => Of("upsample", ("scale", new JsonArray([.. u.Scale.Select(v => (JsonNode)v)])),
            ("mode", u.Mode == UpsampleMode.Nearest ? "nearest" : "bilinear"), ("align_corners", u.AlignCorners)),
        FlattenRangeLayer f => Of("flatten_range", ("start", f.Start), ("end", f.End)),
        _ => null,
    };

    /// <summary>The layer a description of one of <see cref="Types"/> names.</summary>
    /// <exception cref="NetworkFormatException">A field is missing or of the wrong kind; the message names it.</exception>
    public static Layer Read(string type, JsonObject obj, string element) => type switch
    {
        "gelu" => String(obj, "approximate", element) switch
        {
            "none" => new PointActivationLayer(PointOp.Gelu),
            "tanh" => new PointActivationLayer(PointOp.GeluTanh),
            var other => throw new NetworkFormatException($"{element}.approximate", $"'{other}' is not a GELU form; give none or tanh."),
        },
        "silu" => new PointActivationLayer(PointOp.SiLU),
        "hardswish" => new PointActivationLayer(PointOp.Hardswish),
        "mish" => new PointActivationLayer(PointOp.Mish),
        "layer_norm" => new LayerNormLayer(Int(obj, "dims", element), Float(obj, "eps", element)),
        "group_norm" => new GroupNormLayer(Int(obj, "groups", element), Float(obj, "eps", element)),
        "upsample" => new UpsampleLayer(Ints(obj, "scale", element), String(obj, "mode", element) switch
        {
            "nearest" => UpsampleMode.Nearest,
            "bilinear" => UpsampleMode.Bilinear,
            var other => throw new NetworkFormatException($"{element}.mode", $"'{other}' is not an upsampling mode; give nearest or bilinear."),
        }, Bool(obj, "align_corners", element)),
        "flatten_range" => new FlattenRangeLayer(Int(obj, "start", element), Int(obj, "end", element)),
        _ => throw new NetworkFormatException(element, $"'{type}' is not a function layer type."),
    };

    private static JsonObject Of(string type, params (string Key, object Value)[] fields)
    {
        var obj = new JsonObject { ["type"] = type };
        foreach (var (key, value) in fields)
            obj[key] = value switch
            {
                JsonNode n => n,
                int i => i,
                bool b => b,
                float f => f,
                string s => s,
                _ => throw new InvalidOperationException($"FunctionLayerDescriptions: no JSON form for {value.GetType()}."),
            };
        return obj;
    }

    private static JsonNode Field(JsonObject obj, string key, string element) =>
        obj.TryGetPropertyValue(key, out var v) && v is not null ? v
            : throw new NetworkFormatException(element, $"the {obj["type"]} layer lacks the field '{key}'.");

    private static T Value<T>(JsonObject obj, string key, string element, string expected)
    {
        var node = Field(obj, key, element);
        return node is JsonValue v && v.TryGetValue<T>(out var result) ? result
            : throw new NetworkFormatException($"{element}.{key}", $"expected {expected}, found {node.ToJsonString()}.");
    }

    private static int Int(JsonObject obj, string key, string element) => Value<int>(obj, key, element, "an integer");

    private static float Float(JsonObject obj, string key, string element) => Value<float>(obj, key, element, "a number");

    private static bool Bool(JsonObject obj, string key, string element) => Value<bool>(obj, key, element, "true or false");

    private static string String(JsonObject obj, string key, string element) => Value<string>(obj, key, element, "a string");

    private static int[] Ints(JsonObject obj, string key, string element) =>
        (Field(obj, key, element) as JsonArray ?? throw new NetworkFormatException($"{element}.{key}", "expected an array of integers."))
        .Select((n, i) => n is JsonValue v && v.TryGetValue<int>(out var x) ? x
            : throw new NetworkFormatException($"{element}.{key}[{i}]", "expected an integer.")).ToArray();
}
