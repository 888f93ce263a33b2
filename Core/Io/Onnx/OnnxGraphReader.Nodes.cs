using Functional.Network;
using Functional.Network.Primitives;
using Functional.Ops;

namespace Functional.Io.Onnx;

/// <summary>One node with one data input as a primitive layer (null for Identity and Dropout).</summary>
internal sealed partial class OnnxGraphReader
{
    private (Layer? Layer, string Input) Convert(OnnxNode node, string x) => node.OpType switch
    {
        "Identity" or "Dropout" => (null, x),
        // PyTorch pads an average pooling's input with a zero-width Pad node.
        "Pad" when Constant(node, 1).Int64s is { } pads && pads.All(p => p == 0) => (null, x),
        "Relu" => (new ActivationLayer(Activation.ReLU), x),
        "LeakyRelu" => (new ActivationLayer(Activation.LeakyReLU(Attribute(node, "alpha", 0.01f))), x),
        "Sigmoid" => (new ActivationLayer(Activation.Sigmoid), x),
        "Tanh" => (new ActivationLayer(Activation.Tanh), x),
        "Softmax" or "LogSoftmax" when Attribute(node, "axis", -1L) is 1 or -1 => (new SoftmaxLayer(node.OpType == "LogSoftmax"), x),
        "Flatten" when Attribute(node, "axis", 1L) == 1 => (new FlattenLayer(), x),
        "Reshape" when Constant(node, 1).Int64s is [_, -1] or [0, _] or [1, _] => (new FlattenLayer(), x),
        "GlobalAveragePool" => (new AdaptivePoolLayer(1, Global: true), x),
        "MaxPool" or "AveragePool" => (Pool(node), x),
        "BatchNormalization" => (Own(new BatchNormLayer(Eps: Attribute(node, "epsilon", 1e-5f)),
            ("weight", Floats(node, 1)), ("bias", Floats(node, 2)), ("running_mean", Floats(node, 3)), ("running_var", Floats(node, 4))), x),
        "Gemm" => (Gemm(node), x),
        "MatMul" => (Own(new DenseLayer(Floats(node, 1).Shape[1], Bias: false), ("weight", Transpose(Floats(node, 1)))), x),
        "Add" when producers.TryGetValue(x, out var m) && m.OpType == "MatMul" && DataInputs(m).Count == 1 =>
            (Own(new DenseLayer(Floats(m, 1).Shape[1]), ("weight", Transpose(Floats(m, 1))), ("bias", Floats(node, node.Inputs[0] == x ? 1 : 0))), DataInputs(m)[0]),
        "Gather" when Attribute(node, "axis", 0L) == 1 => (new ChannelSelect(Constant(node, 1).Int64s!.Select(i => (int)i)), x),
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
        var w = Floats(node, 1);
        var rank = w.Shape.Rank - 2;
        var padding = Symmetric(node, Ints(node, "pads", new int[2 * rank]));
        var mode = PaddingMode.Zeros;
        // PyTorch writes reflect, replicate and circular padding as a Pad node before an unpadded Conv.
        if (producers.TryGetValue(x, out var pad) && pad.OpType == "Pad" && DataInputs(pad).Count == 1 && padding.All(p => p == 0))
        {
            mode = Attribute(pad, "mode", "constant") switch
            {
                "reflect" => PaddingMode.Reflect,
                "edge" => PaddingMode.Replicate,
                "wrap" => PaddingMode.Circular,
                var other => throw Unsupported(pad, $"pads in mode '{other}' before a conv"),
            };
            var amounts = Constant(pad, 1).Int64s!;
            if (amounts.Length != 2 * (rank + 2) || amounts[0] != 0 || amounts[1] != 0 || amounts[rank + 2] != 0 || amounts[rank + 3] != 0)
                throw Unsupported(pad, "pads the batch or channel dims");
            padding = Symmetric(pad, amounts.Skip(2).Take(rank).Concat(amounts.Skip(rank + 4)).Select(a => (int)a).ToArray());
            x = DataInputs(pad)[0];
        }
        CheckAutoPad(node);
        var layer = new ConvLayer(w.Shape[0], Compact(w.Shape.Dims.Skip(2).ToArray()), Compact(Ints(node, "strides", Ones(rank))),
            padding.Distinct().Count() == 1 ? Padding.Of(padding[0]) : Padding.Of(padding), Compact(Ints(node, "dilations", Ones(rank))), (int)Attribute(node, "group", 1L),
            node.Inputs.Count > 2 && node.Inputs[2].Length > 0, mode);
        return (layer.Bias ? Own(layer, ("weight", w), ("bias", Floats(node, 2))) : Own(layer, ("weight", w)), x);
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
        var (stride, padding, dilation) = (Ints(node, "strides", Ones(rank)), Symmetric(node, Ints(node, "pads", new int[2 * rank])), Ints(node, "dilations", Ones(rank)));
        // Defaults stay unset, as the DSL leaves them, so that an exported network imports as an equal value.
        return new PoolLayer(max ? PoolType.Max : PoolType.Average, Compact(kernel), stride.SequenceEqual(kernel) ? null : Compact(stride),
            padding.All(p => p == 0) ? null : Compact(padding), dilation.All(d => d == 1) ? null : Compact(dilation),
            Attribute(node, "ceil_mode", 0L) == 1, max || Attribute(node, "count_include_pad", 0L) == 1);
    }

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
        input < node.Inputs.Count && file.Initializers.TryGetValue(node.Inputs[input], out var init) ? init
            : throw new OnnxFormatException($"{file.Path}: {Describe(node)} needs initializer input {input}" +
                (input < node.Inputs.Count ? $" ('{node.Inputs[input]}'), which the file does not hold." : ", which it does not have."));

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
