using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Primitives;
using Functional.Ops;

namespace Functional.Io.Onnx;

/// <summary>One node with one data input as a primitive layer (null for Identity and Dropout).</summary>
internal sealed partial class OnnxGraphReader
{
    private (Layer? Layer, string Input) Convert(OnnxNode node, string x) => node.OpType switch
    {
        "Identity" or "Dropout" => (null, x),
        "Pad" => (Pad(node), x),
        "Relu" => (new ActivationLayer(Activation.ReLU), x),
        "LeakyRelu" => (new ActivationLayer(Activation.LeakyReLU(Attribute(node, "alpha", 0.01f))), x),
        "Sigmoid" => (new ActivationLayer(Activation.Sigmoid), x),
        "Tanh" => (new ActivationLayer(Activation.Tanh), x),
        "Softmax" or "LogSoftmax" when Attribute(node, "axis", -1L) is 1 or -1 => (new SoftmaxLayer(node.OpType == "LogSoftmax"), x),
        "Flatten" when Attribute(node, "axis", 1L) == 1 => (new FlattenLayer(), x),
        // view(N, -1), view(-1, k), flatten: to rows of the batch (0 copies the batch size; 1 is a fixed batch of one).
        "Reshape" when Attribute(node, "allowzero", 0L) == 0 && Constant(node, 1).Int64s is [Batch or 0 or 1, -1 or > 0] or [-1, > 0] => (new FlattenLayer(), x),
        "Reshape" when FlattenRange(node) is { } range => (range, x),
        "HardSwish" => (new Functional.Network.Functions.PointActivationLayer(Backends.PointOp.Hardswish), x),
        "Mish" => (new Functional.Network.Functions.PointActivationLayer(Backends.PointOp.Mish), x),
        "LayerNormalization" => (LayerNorm(node), x),
        "InstanceNormalization" => (InstanceNorm(node), x),
        "Resize" => (Resize(node), x),
        "GlobalAveragePool" => (new AdaptivePoolLayer(1, Global: true), x),
        "MaxPool" or "AveragePool" => (Pool(node), x),
        "BatchNormalization" => (Own(new BatchNormLayer(Eps: Attribute(node, "epsilon", 1e-5f)),
            ("weight", Floats(node, 1)), ("bias", Floats(node, 2)), ("running_mean", Floats(node, 3)), ("running_var", Floats(node, 4))), x),
        "Gemm" => (Gemm(node), x),
        "MatMul" when Operand(node, x) == 0 => (Ranked(Own(new DenseLayer(Matrix(node, 1).Shape[1], Bias: false), ("weight", Transpose(Matrix(node, 1)))), 2), x),
        // The bias Add of a MatMul wherever it stands in the node list: the graph, not the list, links them.
        "Add" when producers.TryGetValue(x, out var m) && m.OpType == "MatMul" && DataInputs(m) is [var into] && Operand(m, into) == 0 =>
            (Ranked(Own(new DenseLayer(Matrix(m, 1).Shape[1]), ("weight", Transpose(Matrix(m, 1))), ("bias", Vector(node, 1 - Operand(node, x)).Values)), 2), DataInputs(m)[0]),
        "Add" when producers.TryGetValue(x, out var mul) && mul.OpType == "Mul" && DataInputs(mul).Count == 1 =>
            (PerChannel(node, Vector(mul, 1 - Operand(mul, DataInputs(mul)[0])), Vector(node, 1 - Operand(node, x))), DataInputs(mul)[0]),
        "Add" => (PerChannel(node, null, Vector(node, 1 - Operand(node, x))), x),
        "Mul" => (PerChannel(node, Vector(node, 1 - Operand(node, x)), null), x),
        "Sub" when Operand(node, x) == 0 => (PerChannel(node, null, Negated(Vector(node, 1))), x),
        "Div" when Operand(node, x) == 0 => (PerChannel(node, Reciprocal(node, Vector(node, 1)), null), x),
        "Gather" when Attribute(node, "axis", 0L) == 1 && Constant(node, 1).Int64s is { } channels =>
            (new ChannelSelect(channels.Select(i => i is < 0 or > int.MaxValue ? throw Unsupported(node, $"gathers channel {i}") : (int)i)), x),
        "Conv" => Conv(node, x),
        "ConvTranspose" => (ConvTranspose(node), x),
        _ => throw Unsupported(node, "is not supported in this form"),
    };

    private Layer Gemm(OnnxNode node)
    {
        if (Attribute(node, "transA", 0L) != 0 || Attribute(node, "alpha", 1f) != 1f || Attribute(node, "beta", 1f) != 1f)
            throw Unsupported(node, "has transA, alpha or beta other than 0, 1, 1");
        var w = Floats(node, 1);
        if (Attribute(node, "transB", 0L) == 0) w = Transpose(w);
        var bias = node.Inputs.Count > 2 && node.Inputs[2].Length > 0;
        return bias ? Own(new DenseLayer(w.Shape[0]), ("weight", w), ("bias", Floats(node, 2))) : Own(new DenseLayer(w.Shape[0], Bias: false), ("weight", w));
    }

    private (Layer, string) Conv(OnnxNode node, string x)
    {
        CheckAutoPad(node);
        var w = Floats(node, 1);
        var rank = w.Shape.Rank - 2;
        var pads = Ints(node, "pads", new int[2 * rank]);
        var (before, after) = Split(node, pads, rank);
        var mode = PaddingMode.Zeros;
        // PyTorch writes reflect, replicate and circular padding as a Pad node before an unpadded Conv; it goes into
        // the conv when its amounts are equal on both sides, and stays a layer of its own otherwise.
        if (pads.All(p => p == 0) && producers.TryGetValue(x, out var pad) && pad.OpType == "Pad" && DataInputs(pad).Count == 1
            && Pad(pad) is { Mode: not PaddingMode.Zeros } p && p.Before.Length == rank && p.Before.SequenceEqual(p.After))
            (before, after, mode, x) = ([.. p.Before], [.. p.After], p.Mode, DataInputs(pad)[0]);
        var equal = before.SequenceEqual(after);
        var padding = !equal || before.All(b => b == 0) ? Padding.Of(0) : before.Distinct().Count() == 1 ? Padding.Of(before[0]) : Padding.Of(before);
        var conv = new ConvLayer(w.Shape[0], Compact(w.Shape.Dims.Skip(2).ToArray()), Compact(Ints(node, "strides", Ones(rank))),
            padding, Compact(Ints(node, "dilations", Ones(rank))), (int)Attribute(node, "group", 1L), node.Inputs.Count > 2 && node.Inputs[2].Length > 0, mode);
        var owned = conv.Bias ? Own(conv, ("weight", w), ("bias", Floats(node, 2))) : Own(conv, ("weight", w));
        // Unequal pads on the node itself (TensorFlow's SAME, the exporter's Same): an explicit zero Pad, then the conv.
        return (equal ? owned : Chain.Of(new PadLayer(before, after), owned), x);
    }

    private Layer ConvTranspose(OnnxNode node)
    {
        if (node.Attributes.Any(a => a.Name == "output_shape")) throw Unsupported(node, "gives output_shape instead of pads and output_padding");
        CheckAutoPad(node);
        var w = Floats(node, 1);
        var rank = w.Shape.Rank - 2;
        var group = (int)Attribute(node, "group", 1L);
        var layer = new ConvTransposeLayer(w.Shape[1] * group, Compact(w.Shape.Dims.Skip(2).ToArray()), Compact(Ints(node, "strides", Ones(rank))),
            Compact(Symmetric(node, Ints(node, "pads", new int[2 * rank]))), Compact(Ints(node, "output_padding", new int[rank])),
            Compact(Ints(node, "dilations", Ones(rank))), group, node.Inputs.Count > 2 && node.Inputs[2].Length > 0);
        return layer.Bias ? Own(layer, ("weight", w), ("bias", Floats(node, 2))) : Own(layer, ("weight", w));
    }

    private Layer Pool(OnnxNode node)
    {
        CheckAutoPad(node);
        var kernel = Ints(node, "kernel_shape", null);
        var rank = kernel.Length;
        var max = node.OpType == "MaxPool";
        var (stride, dilation, ceil) = (Ints(node, "strides", Ones(rank)), Ints(node, "dilations", Ones(rank)), Attribute(node, "ceil_mode", 0L) == 1);
        var countPad = max || Attribute(node, "count_include_pad", 0L) == 1;
        var (before, after) = Split(node, Ints(node, "pads", new int[2 * rank]), rank);
        var equal = before.SequenceEqual(after);
        // Unequal pads become a Pad layer where one gives the same windows: replicated edges never win a max over a
        // contiguous (undilated) window that also holds the edge, and zeros are what count_include_pad averages in.
        // With ceil mode the padded input would admit a window PyTorch's rule drops, so that stays an error.
        if (!equal && (ceil || (max ? dilation.Any(d => d != 1) : !countPad)))
            throw Unsupported(node, $"pads unequally before and after ([{string.Join(", ", before.Concat(after))}]) with {(ceil ? "ceil mode" : max ? "dilation" : "count_include_pad = 0")}, which no Pad layer in front expresses");
        // Defaults stay unset, as the DSL leaves them, so that an exported network imports as an equal value.
        var pool = new PoolLayer(max ? PoolType.Max : PoolType.Average, Compact(kernel), stride.SequenceEqual(kernel) ? null : Compact(stride),
            !equal || before.All(p => p == 0) ? null : Compact(before), dilation.All(d => d == 1) ? null : Compact(dilation), ceil, equal ? countPad : true);
        return equal ? pool : Chain.Of(new PadLayer(before, after, max ? PaddingMode.Replicate : PaddingMode.Zeros), pool);
    }

    /// <summary>A Pad node as a layer, or null when it pads nothing (PyTorch puts a zero-width one before average pooling).</summary>
    private PadLayer? Pad(OnnxNode node)
    {
        var mode = Attribute(node, "mode", "constant") switch
        {
            "constant" => PaddingMode.Zeros,
            "reflect" => PaddingMode.Reflect,
            "edge" => PaddingMode.Replicate,
            "wrap" => PaddingMode.Circular,
            var other => throw Unsupported(node, $"pads in mode '{other}'"),
        };
        // Opset 11 and later give pads and the fill value as inputs; earlier ones as attributes.
        var pads = node.Attributes.Any(a => a.Name == "pads") ? Ints(node, "pads", null).Select(p => (long)p).ToArray() : Constant(node, 1).Int64s
            ?? throw Unsupported(node, "has pads that are not int64");
        var fill = node.Inputs.Count > 2 && node.Inputs[2].Length > 0 ? Constant(node, 2).Floats : [Attribute(node, "value", 0f)];
        if (mode == PaddingMode.Zeros && (fill is not [0f]))
            throw Unsupported(node, $"fills with {(fill is [var v] ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "a non-scalar")} instead of zeros");
        if (node.Inputs.Count > 3 && node.Inputs[3].Length > 0) throw Unsupported(node, "pads only some axes (the axes input)");
        var rank = pads.Length / 2;
        if (pads.Length % 2 != 0 || rank is < 3 or > 5 || pads[0] != 0 || pads[1] != 0 || pads[rank] != 0 || pads[rank + 1] != 0)
            throw Unsupported(node, $"pads [{string.Join(", ", pads)}]: import pads the 1 to 3 spatial dims of N×C×… only");
        if (pads.Any(p => p < 0 || p > int.MaxValue)) throw Unsupported(node, $"pads [{string.Join(", ", pads)}], with a negative (cropping) or huge amount");
        if (pads.All(p => p == 0)) return null;
        return new PadLayer(pads[2..rank].Select(p => (int)p), pads[(rank + 2)..].Select(p => (int)p), mode);
    }

    /// <summary>ONNX pads [x1_begin, x2_begin, …, x1_end, x2_end, …] as the amounts before and after each spatial dim.</summary>
    private (int[] Before, int[] After) Split(OnnxNode node, int[] pads, int rank)
    {
        if (pads.Length != 2 * rank) throw Unsupported(node, $"has {pads.Length} pads for {rank} spatial dims");
        if (pads.Any(p => p < 0)) throw Unsupported(node, $"has a negative pad ([{string.Join(", ", pads)}])");
        return (pads[..rank], pads[rank..]);
    }

    /// <summary>A per-channel constant: its values and the rank of the input over whose channels it broadcasts.</summary>
    private readonly record struct PerChannelConstant(Tensor Values, int Rank);

    // C, C×1…, or 1×C×1…: per channel for an input whose rank is 2 + the trailing ones (the leading 1 aside).
    private PerChannelConstant Vector(OnnxNode node, int input)
    {
        var t = Floats(node, input);
        var dims = t.Shape.Dims.ToArray();
        var lead = dims.Length > 1 && dims[0] == 1 && dims[1] != 1 ? 1 : 0;
        if (dims.Length - lead < 1 || dims.Skip(lead + 1).Any(d => d != 1) || dims[lead] < 1)
            throw Unsupported(node, $"applies a constant of shape [{string.Join(", ", dims)}], which is not one value per channel");
        return new(Tensor.FromArray(Shape.Of(dims[lead]), t.ToArray()), dims.Length - lead + 1);
    }

    private static PerChannelConstant Negated(PerChannelConstant c) => c with { Values = Tensor.FromArray(c.Values.Shape, c.Values.ToArray().Select(v => -v).ToArray()) };

    private PerChannelConstant Reciprocal(OnnxNode node, PerChannelConstant c) => c.Values.ToArray().Any(v => v == 0 || !float.IsFinite(v))
        ? throw Unsupported(node, "divides by zero or a non-finite value")
        : c with { Values = Tensor.FromArray(c.Values.Shape, c.Values.ToArray().Select(v => 1 / v).ToArray()) };

    /// <summary>x·w + b per channel (Mul, Add, Sub, Div by a constant; the exporter's ChannelAffine and normalisation).</summary>
    private Layer PerChannel(OnnxNode node, PerChannelConstant? weight, PerChannelConstant? bias)
    {
        var (w, b) = (weight ?? new(Tensor.FromArray(bias!.Value.Values.Shape, Enumerable.Repeat(1f, bias.Value.Values.Count).ToArray()), bias.Value.Rank),
            bias ?? new(Tensor.FromArray(weight!.Value.Values.Shape, new float[weight.Value.Values.Count]), weight.Value.Rank));
        if (w.Values.Shape != b.Values.Shape || w.Rank != b.Rank) throw Unsupported(node, "scales and shifts by constants of different shapes");
        var layer = Own(new ChannelAffine(), ("weight", w.Values), ("bias", b.Values));
        ranks[layer] = w.Rank;
        return layer;
    }

    private static int Operand(OnnxNode node, string x) => node.Inputs.Count > 0 && node.Inputs[0] == x ? 0 : 1;

    private Layer Own(Layer layer, params (string Name, Tensor Value)[] own)
    {
        tensors[layer] = own.ToDictionary(p => p.Name, p => p.Value);
        return layer;
    }

    private void CheckAutoPad(OnnxNode node)
    {
        if (Attribute(node, "auto_pad", "NOTSET") != "NOTSET") throw Unsupported(node, "uses auto_pad; give explicit pads");
    }

    private int[] Symmetric(OnnxNode node, int[] pads)
    {
        var half = pads.Length / 2;
        if (pads.Length % 2 != 0 || !pads.Take(half).SequenceEqual(pads.Skip(half)))
            throw Unsupported(node, $"pads unequally before and after ([{string.Join(", ", pads)}])");
        return pads[..half];
    }

    // One value when every dim has it, as the DSL writes Conv(8, 3) for a 3×3 kernel.
    private static PerDim Compact(int[] values) => values.Length > 0 && values.All(v => v == values[0]) ? PerDim.Of(values[0]) : PerDim.Of(values);

    private static int[] Ones(int rank) => Enumerable.Repeat(1, rank).ToArray();

    private static Tensor Transpose(Tensor w)
    {
        var (rows, cols) = (w.Shape[0], w.Shape[1]);
        var src = w.Span;
        var t = new float[rows * cols];
        for (var i = 0; i < rows; i++) for (var j = 0; j < cols; j++) t[j * rows + i] = src[i * cols + j];
        return Tensor.FromArray(Shape.Of(cols, rows), t);
    }

    private OnnxInitializer Constant(OnnxNode node, int input) =>
        input < node.Inputs.Count && node.Inputs[input].Length > 0 && IsConstant(node.Inputs[input]) ? Fold(node.Inputs[input], node)
            : throw new OnnxFormatException($"{file.Path}: {Describe(node)} needs a constant as input {input}" +
                (input < node.Inputs.Count ? $" ('{node.Inputs[input]}'), which no initializer or constant node gives." : ", which it does not have."));

    private Tensor Matrix(OnnxNode node, int input) => Floats(node, input) is { Shape.Rank: 2 } w ? w
        : throw Unsupported(node, "multiplies by a constant that is not a matrix");

    private Layer Ranked(Layer layer, int rank)
    {
        ranks[layer] = rank;
        return layer;
    }

    private Tensor Floats(OnnxNode node, int input)
    {
        var init = Constant(node, input);
        if (init.Floats is null) throw new OnnxFormatException($"{file.Path}: {Describe(node)}: initializer '{init.Name}' is not float32.");
        if (init.Dims.Any(d => d > int.MaxValue)) throw new OnnxFormatException($"{file.Path}: initializer '{init.Name}' is too large.");
        return Tensor.FromArray(Shape.Of(init.Dims.Select(d => (int)d)), init.Floats);
    }

    private static T Attribute<T>(OnnxNode node, string name, T fallback) =>
        node.Attributes.FirstOrDefault(a => a.Name == name)?.Value is T v ? v : fallback;

    private int[] Ints(OnnxNode node, string name, int[]? fallback) =>
        node.Attributes.FirstOrDefault(a => a.Name == name)?.Value is long[] v ? v.Select(i => checked((int)i)).ToArray()
            : fallback ?? throw new OnnxFormatException($"{file.Path}: {Describe(node)} has no '{name}' attribute.");
}
