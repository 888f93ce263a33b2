using Functional.Backends;
using Functional.Network;
using Functional.Network.Functions;

namespace Functional.Io.Onnx;

/// <summary>
/// The layers built from tensor functions, in the forms PyTorch's exporter writes at opset 19: GELU as its Erf or
/// Tanh formula (the Gelu op is opset 20), GroupNorm through InstanceNormalization (GroupNormalization's
/// per-channel affine is opset 21), the rest as the matching op.
/// </summary>
internal sealed partial class OnnxEmitter
{
    private string EmitFunction(FunctionLayer layer, string x, Shape shape, string path) => layer switch
    {
        PointActivationLayer a => EmitPoint(a, x, path),
        LayerNormLayer n => graph.Add(NodeName(path, "layer_norm"), "LayerNormalization", [x, Weight(path, "weight"), Weight(path, "bias")],
            // Every dim after the batch is axis 1 whatever the rank; otherwise the last Dims.
            OnnxAttribute.Int("axis", n.Dims == 0 ? 1 : -n.Dims), OnnxAttribute.Float("epsilon", n.Eps)),
        GroupNormLayer g => EmitGroupNorm(g, x, shape, path),
        UpsampleLayer u => EmitUpsample(u, x, shape, path),
        FlattenRangeLayer f => EmitFlattenRange(f, x, shape, path),
        // A lambda's body is arbitrary code over tensors: there is no graph to write, only a function to call.
        LambdaLayer l => throw new OnnxExportException(path,
            $"the Lambda layer '{l.Name}' is an arbitrary function, which has no ONNX graph; replace it with library layers to export."),
        _ => throw new OnnxExportException(path, $"{layer.Description} ({layer.GetType().Name}) has no ONNX form in this exporter."),
    };

    private string EmitPoint(PointActivationLayer a, string x, string path)
    {
        string Scalar(string name, float value) => graph.Floats(Site.Join(path, name), [], [value]);
        string Node(string name, string op, params string[] inputs) => graph.Add(Site.Join(path, name), op, inputs);
        switch (a.Op)
        {
            case PointOp.Gelu:
                // 0.5·x·(1 + erf(x/√2)), node for node as torch.onnx writes nn.GELU().
                var erf = Node("erf", "Erf", Node("div", "Div", x, Scalar("sqrt2", MathF.Sqrt(2f))));
                var plusOne = Node("add", "Add", erf, Scalar("one", 1f));
                return graph.Add(NodeName(path, "gelu"), "Mul", [Node("mul", "Mul", x, plusOne), Scalar("half", 0.5f)]);
            case PointOp.GeluTanh:
                // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as torch.onnx writes nn.GELU(approximate='tanh').
                var cube = Node("cube", "Mul", x, Node("square", "Mul", x, x));
                var inner = Node("inner", "Add", x, Node("kappa_mul", "Mul", Scalar("kappa", 0.044715f), cube));
                var tanh = Node("tanh", "Tanh", Node("beta_mul", "Mul", Scalar("beta", MathF.Sqrt(2f / MathF.PI)), inner));
                var sum = Node("add", "Add", Scalar("one", 1f), tanh);
                return graph.Add(NodeName(path, "gelu"), "Mul", [Scalar("half", 0.5f), Node("mul", "Mul", x, sum)]);
            case PointOp.SiLU:
                return graph.Add(NodeName(path, "silu"), "Mul", [x, Node("sigmoid", "Sigmoid", x)]);
            case PointOp.Hardswish:
                return graph.Add(NodeName(path, "hardswish"), "HardSwish", [x]);
            case PointOp.Mish:
                return graph.Add(NodeName(path, "mish"), "Mish", [x]);
            default:
                throw new OnnxExportException(path, $"the activation {a.Op} has no ONNX form in this exporter.");
        }
    }

    // InstanceNorm is InstanceNormalization with the per-channel weight and bias. GroupNorm, as PyTorch writes it
    // before opset 21: N×C×… → N×G×(−1), InstanceNormalization over each group with unit scale and zero shift,
    // back to the input's shape (0 keeps the batch free), then the per-channel affine as C×1×…×1 constants.
    private string EmitGroupNorm(GroupNormLayer g, string x, Shape shape, string path)
    {
        if (g.Groups == 0)
            return graph.Add(NodeName(path, "instance_norm"), "InstanceNormalization", [x, Weight(path, "weight"), Weight(path, "bias")],
                OnnxAttribute.Float("epsilon", g.Eps));
        var grouped = graph.Add(Site.Join(path, "group"), "Reshape", [x, graph.Int64s(Site.Join(path, "group_shape"), [0, g.Groups, -1])]);
        var normalized = graph.Add(Site.Join(path, "instance_norm"), "InstanceNormalization",
            [grouped, graph.Floats(Site.Join(path, "unit_scale"), [g.Groups], Enumerable.Repeat(1f, g.Groups).ToArray()),
             graph.Floats(Site.Join(path, "zero_shift"), [g.Groups], new float[g.Groups])],
            OnnxAttribute.Float("epsilon", g.Eps));
        var back = graph.Add(Site.Join(path, "ungroup"), "Reshape",
            [normalized, graph.Int64s(Site.Join(path, "input_shape"), [0, .. shape.Dims.Skip(1).Select(d => (long)d)])]);
        long[] dims = [shape[1], .. Enumerable.Repeat(1L, shape.Rank - 2)];
        var w = graph.Floats(Site.Join(path, "weight"), dims, Parameter(path, "weight").ToArray());
        var b = graph.Floats(Site.Join(path, "bias"), dims, Parameter(path, "bias").ToArray());
        return graph.Add(NodeName(path, "add"), "Add", [graph.Add(Site.Join(path, "mul"), "Mul", [back, w]), b]);
    }

    // Integer scales as a constant; the coordinate rules are those under which Resize computes PyTorch's values:
    // nearest copies ⌊i/s⌋ (asymmetric, floor), bilinear samples at (i + ½)/s − ½ or at i·(in − 1)/(out − 1).
    private string EmitUpsample(UpsampleLayer u, string x, Shape shape, string path)
    {
        var output = u.Infer(shape, Site.Root);
        float[] scales = [1f, 1f, .. Enumerable.Range(2, shape.Rank - 2).Select(d => (float)(output[d] / shape[d]))];
        var s = graph.Floats(Site.Join(path, "scales"), [scales.Length], scales);
        OnnxAttribute[] attributes = u.Mode == UpsampleMode.Nearest
            ? [OnnxAttribute.Text("mode", "nearest"), OnnxAttribute.Text("coordinate_transformation_mode", "asymmetric"), OnnxAttribute.Text("nearest_mode", "floor")]
            : [OnnxAttribute.Text("mode", "linear"), OnnxAttribute.Text("coordinate_transformation_mode", u.AlignCorners ? "align_corners" : "half_pixel")];
        return graph.Add(NodeName(path, "resize"), "Resize", [x, "", s], attributes);
    }

    // A constant target: 0 copies each dim before the merged one (so the batch stays free when it is not merged),
    // −1 is the merged dim, and the dims after it are written out.
    private string EmitFlattenRange(FlattenRangeLayer f, string x, Shape shape, string path)
    {
        var output = f.Infer(shape, Site.Root);
        var start = f.Start < 0 ? f.Start + shape.Rank : f.Start;
        long[] target = [.. Enumerable.Repeat(0L, start), -1, .. output.Dims.Skip(start + 1).Select(d => (long)d)];
        return graph.Add(NodeName(path, "flatten"), "Reshape", [x, graph.Int64s(Site.Join(path, "shape"), target)]);
    }
}
