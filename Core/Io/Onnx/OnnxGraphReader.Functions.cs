using Functional.Backends;
using Functional.Network;
using Functional.Network.Functions;

namespace Functional.Io.Onnx;

/// <summary>
/// The layers built from tensor functions, read from the forms PyTorch's exporter writes at opset 19 or less:
/// single ops (HardSwish, Mish, LayerNormalization, InstanceNormalization, Resize, a flattening Reshape) and
/// patterns of several nodes ending at one (GELU's Erf formula, SiLU's x·σ(x), GroupNorm through
/// InstanceNormalization).
/// </summary>
internal sealed partial class OnnxGraphReader
{
    /// <summary>The function layer whose pattern of nodes ends at <paramref name="node"/>, and the value the
    /// pattern reads; null when no pattern ends there (the node is then read on its own).</summary>
    private (Layer Layer, string Input)? Fused(OnnxNode node, IReadOnlyList<string> data)
    {
        switch (node.OpType)
        {
            // x·Sigmoid(x), either operand order.
            case "Mul" when data.Count == 2:
                for (var i = 0; i < 2; i++)
                    if (Producer(data[i], "Sigmoid") is { } s && s.Inputs.Count == 1 && s.Inputs[0] == data[1 - i])
                        return (new PointActivationLayer(PointOp.SiLU), data[1 - i]);
                return null;
            // (x·(Erf(x/√2) + 1))·0.5.
            case "Mul" when data.Count == 1 && IsScalar(node, data[0], 0.5f)
                && Producer(data[0], "Mul") is { } m && DataInputs(m) is [var a, var b]:
                for (var i = 0; i < 2; i++)
                {
                    var (x, sum) = i == 0 ? (a, b) : (b, a);
                    if (Producer(sum, "Add") is { } add && DataInputs(add) is [var e] && IsScalar(add, e, 1f)
                        && Producer(e, "Erf") is { Inputs: [var d] } && Producer(d, "Div") is { } div
                        && DataInputs(div) is [var into] && into == x && Operand(div, x) == 0 && IsScalar(div, x, MathF.Sqrt(2f)))
                        return (new PointActivationLayer(PointOp.Gelu), x);
                }
                return null;
            case "Add" when data.Count == 1:
                return GroupNorm(node, data[0]);
            default:
                return null;
        }
    }

    // Add(Mul(Reshape(InstanceNormalization(Reshape(x, [0, G, −1]), ones, zeros), shape of x), w), b): w and b
    // per channel.
    private (Layer, string)? GroupNorm(OnnxNode add, string y)
    {
        if (Producer(y, "Mul") is not { } mul || DataInputs(mul) is not [var back]) return null;
        if (Producer(back, "Reshape") is not { } ungroup || DataInputs(ungroup) is not [var normalized] || ungroup.Inputs[0] != normalized) return null;
        if (Producer(normalized, "InstanceNormalization") is not { } norm || DataInputs(norm) is not [var grouped] || norm.Inputs[0] != grouped) return null;
        if (Producer(grouped, "Reshape") is not { } group || DataInputs(group) is not [var x] || group.Inputs[0] != x) return null;
        if (Constant(group, 1).Int64s is not [0 or Batch, var g and > 0 and <= int.MaxValue, -1]) return null;
        var (scale, shift) = (Floats(norm, 1).ToArray(), Floats(norm, 2).ToArray());
        if (scale.Length != g || shift.Length != g || scale.Any(v => v != 1f) || shift.Any(v => v != 0f)) return null;
        var (w, b) = (Vector(mul, 1 - Operand(mul, back)), Vector(add, 1 - Operand(add, y)));
        // Back to x's shape: PyTorch reads it with a Shape node, the exporter writes it with 0 for the batch.
        var target = ungroup.Inputs.Count > 1 ? ungroup.Inputs[1] : "";
        var restores = Producer(target, "Shape") is { Inputs: [var of] } ? of == x
            : Constant(ungroup, 1).Int64s is { } dims && dims.Length == w.Rank && dims[0] is 0 or Batch && dims[1] == w.Values.Count;
        if (!restores || w.Values.Shape != b.Values.Shape || w.Rank != b.Rank) return null;
        var layer = Own(new GroupNormLayer((int)g, Attribute(norm, "epsilon", 1e-5f)), ("weight", w.Values), ("bias", b.Values));
        ranks[layer] = w.Rank;
        return (layer, x);
    }

    private OnnxNode? Producer(string value, string opType) =>
        value.Length > 0 && producers.TryGetValue(value, out var node) && node.OpType == opType ? node : null;

    // The node's operand other than data value x is a one-element constant within float rounding of value.
    private bool IsScalar(OnnxNode node, string x, float value) =>
        node.Inputs.Count == 2 && IsConstant(node.Inputs[1 - Operand(node, x)])
        && Fold(node.Inputs[1 - Operand(node, x)], node).Floats is [var v] && MathF.Abs(v - value) <= 1e-6f * MathF.Abs(value);

    private Layer LayerNorm(OnnxNode node)
    {
        var w = Floats(node, 1);
        var b = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? Floats(node, 2) : Tensor.Zeros(w.Shape);
        if (b.Shape != w.Shape) throw Unsupported(node, $"has a bias of shape {b.Shape} and a scale of shape {w.Shape}");
        var axis = Attribute(node, "axis", -1L);
        // Axis 1 is every dim after the batch; −k normalises the last k, whose shape the scale has.
        var dims = axis == 1 ? 0 : axis < 0 && -axis == w.Shape.Rank ? (int)-axis
            : throw Unsupported(node, $"normalises from axis {axis} with a scale of rank {w.Shape.Rank}; import reads axis 1, or −k with a rank-k scale");
        return Own(new LayerNormLayer(dims, Attribute(node, "epsilon", 1e-5f)), ("weight", w), ("bias", b));
    }

    private Layer InstanceNorm(OnnxNode node)
    {
        var (w, b) = (Floats(node, 1), Floats(node, 2));
        if (w.Shape.Rank != 1 || b.Shape != w.Shape) throw Unsupported(node, $"has a scale of shape {w.Shape} and a bias of shape {b.Shape}, not one value per channel each");
        return Own(new GroupNormLayer(0, Attribute(node, "epsilon", 1e-5f)), ("weight", w), ("bias", b));
    }

    private Layer Resize(OnnxNode node)
    {
        if (node.Inputs.Count > 3 && node.Inputs[3].Length > 0) throw Unsupported(node, "gives output sizes; import reads integer scales");
        if (node.Attributes.Any(a => a.Name == "axes")) throw Unsupported(node, "resizes only some axes (the axes attribute)");
        var scales = Constant(node, 2).Floats ?? throw Unsupported(node, "has scales that are not float32");
        if (scales.Length is < 3 or > 4 || scales[0] != 1f || scales[1] != 1f || scales.Skip(2).Any(s => s < 1f || s > 1 << 20 || s != MathF.Floor(s)))
            throw Unsupported(node, $"scales by [{string.Join(", ", scales)}]; import reads integer factors ≥ 1 of the 1 or 2 spatial dims of N×C×…");
        var factors = scales[2..].Select(s => (int)s).ToArray();
        int[] scale = factors.All(f => f == factors[0]) ? [factors[0]] : factors;
        var (mode, coordinates) = (Attribute(node, "mode", "nearest"), Attribute(node, "coordinate_transformation_mode", "half_pixel"));
        return (mode, coordinates) switch
        {
            ("nearest", "asymmetric") when Attribute(node, "nearest_mode", "round_prefer_floor") == "floor" => new UpsampleLayer(scale),
            ("linear", "half_pixel" or "pytorch_half_pixel") when factors.Length == 2 => new UpsampleLayer(scale, UpsampleMode.Bilinear),
            ("linear", "align_corners") when factors.Length == 2 => new UpsampleLayer(scale, UpsampleMode.Bilinear, AlignCorners: true),
            _ => throw Unsupported(node, $"resizes in mode '{mode}' with coordinate_transformation_mode '{coordinates}'{(mode == "nearest" ? $" and nearest_mode '{Attribute(node, "nearest_mode", "round_prefer_floor")}'" : "")} over {factors.Length} spatial dims; " +
                "import reads nearest (asymmetric, floor) and 2-d linear (half_pixel, pytorch_half_pixel, align_corners)"),
        };
    }

    // [0, …, 0, −1, k…]: the dims before the −1 are copied, the −1 merges a range, the ks must be the dims after it
    // (checked against the input's shape once the network is whole).
    private Layer? FlattenRange(OnnxNode node)
    {
        if (Attribute(node, "allowzero", 0L) != 0 || Constant(node, 1).Int64s is not { } target) return null;
        var start = target.TakeWhile((v, i) => v == 0 || (i == 0 && v == Batch)).Count();
        if (start == target.Length || target[start] != -1 || target.Skip(start + 1).Any(v => v <= 0 || v > int.MaxValue)) return null;
        var after = target[(start + 1)..];
        var layer = new FlattenRangeLayer(start, -after.Length - 1);
        trailing[layer] = after;
        return layer;
    }
}
