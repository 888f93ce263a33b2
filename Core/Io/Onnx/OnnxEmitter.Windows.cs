using Functional.Network;
using Functional.Network.Primitives;

namespace Functional.Io.Onnx;

/// <summary>The windowed layers: convolutions, transposed convolutions and pooling.</summary>
internal sealed partial class OnnxEmitter
{
    private string EmitConv(ConvLayer conv, string x, Shape shape, string path)
    {
        var spec = conv.Spec(shape);
        var (rank, before, after) = (spec.Rank, new int[spec.Rank], new int[spec.Rank]);
        for (var d = 0; d < rank; d++)
            (before[d], after[d]) = ShapeRules.Resolve(spec.Padding, d, rank, shape[2 + d], spec.Kernel[d], spec.Stride[d], spec.Dilation[d], "Conv");
        if (spec.PaddingMode != PaddingMode.Zeros && (before.Any(p => p > 0) || after.Any(p => p > 0)))
        {
            // Reflect, replicate and circular padding is a Pad node in front of an unpadded Conv, as PyTorch exports it.
            var mode = PadMode(spec.PaddingMode);
            long[] pads = [0, 0, .. before.Select(p => (long)p), 0, 0, .. after.Select(p => (long)p)];
            x = graph.Add(Site.Join(path, "pad"), "Pad", [x, graph.Int64s(Site.Join(path, "pads"), pads)], OnnxAttribute.Text("mode", mode));
            (before, after) = (new int[rank], new int[rank]);
        }
        string[] inputs = spec.Bias ? [x, Weight(path, "weight"), Weight(path, "bias")] : [x, Weight(path, "weight")];
        return graph.Add(NodeName(path, "conv"), "Conv", inputs,
            OnnxAttribute.Ints("kernel_shape", spec.Kernel), OnnxAttribute.Ints("strides", spec.Stride),
            OnnxAttribute.Ints("dilations", spec.Dilation), OnnxAttribute.Ints("pads", [.. before, .. after]),
            OnnxAttribute.Int("group", spec.Groups));
    }

    /// <summary>ONNX Pad's name for a padding mode.</summary>
    private static string PadMode(PaddingMode mode) => mode switch
    {
        PaddingMode.Zeros => "constant",
        PaddingMode.Reflect => "reflect",
        PaddingMode.Replicate => "edge",
        _ => "wrap",
    };

    private string EmitConvTranspose(ConvTransposeLayer t, string x, Shape shape, string path)
    {
        var rank = shape.Rank - 2;
        var padding = t.Padding.For(rank);
        string[] inputs = t.Bias ? [x, Weight(path, "weight"), Weight(path, "bias")] : [x, Weight(path, "weight")];
        return graph.Add(NodeName(path, "conv_transpose"), "ConvTranspose", inputs,
            OnnxAttribute.Ints("kernel_shape", t.Kernel.For(rank)), OnnxAttribute.Ints("strides", t.Stride.For(rank)),
            OnnxAttribute.Ints("dilations", t.Dilation.For(rank)), OnnxAttribute.Ints("pads", [.. padding, .. padding]),
            OnnxAttribute.Ints("output_padding", t.OutputPadding.For(rank)), OnnxAttribute.Int("group", t.Groups));
    }

    private string EmitPool(PoolLayer p, string x, Shape shape, string path)
    {
        var spec = p.Spec(shape);
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", spec.Kernel), OnnxAttribute.Ints("strides", spec.Stride),
            OnnxAttribute.Ints("pads", [.. spec.Padding, .. spec.Padding]), OnnxAttribute.Int("ceil_mode", spec.CeilMode ? 1 : 0),
            OnnxAttribute.Ints("dilations", spec.Dilation),
        };
        if (p.Type == PoolType.Max) return graph.Add(NodeName(path, "max_pool"), "MaxPool", [x], [.. attributes]);
        attributes.Add(OnnxAttribute.Int("count_include_pad", spec.CountIncludePad ? 1 : 0));
        return graph.Add(NodeName(path, "avg_pool"), "AveragePool", [x], [.. attributes]);
    }

    private string EmitAdaptivePool(AdaptivePoolLayer a, string x, Shape shape, string path)
    {
        if (a.Global) return graph.Add(NodeName(path, "global_avg_pool"), "GlobalAveragePool", [x]);
        var output = a.Infer(shape, Site.Root);
        var rank = shape.Rank - 2;
        var spatial = Enumerable.Range(0, rank).Select(d => (In: shape[2 + d], Out: output[2 + d])).ToArray();
        if (spatial.All(s => s.In % s.Out == 0))
        {
            // Equal windows: an ordinary average pooling with kernel = stride = in/out.
            var k = spatial.Select(s => s.In / s.Out).ToArray();
            return graph.Add(NodeName(path, "avg_pool"), "AveragePool", [x], OnnxAttribute.Ints("kernel_shape", k), OnnxAttribute.Ints("strides", k));
        }
        if (rank > 2)
            throw new OnnxExportException(path, $"{a.Description} of a {shape.WithoutBatch()} input has unequal 3-d windows, which this exporter does not express.");
        // Unequal windows (PyTorch's ⌊i·in/out⌋ … ⌈(i+1)·in/out⌉): the average is separable, one averaging matrix per dim.
        var y = graph.Add(Site.Join(path, "width"), "MatMul", [x, graph.Floats(Site.Join(path, "width_weights"), [spatial[^1].In, spatial[^1].Out], Averaging(spatial[^1].In, spatial[^1].Out, transpose: false))]);
        if (rank == 1) return y;
        return graph.Add(NodeName(path, "height"), "MatMul", [graph.Floats(Site.Join(path, "height_weights"), [spatial[0].Out, spatial[0].In], Averaging(spatial[0].In, spatial[0].Out, transpose: true)), y]);
    }

    // in×out (or out×in) matrix whose column j averages PyTorch's adaptive window j.
    private static float[] Averaging(int input, int output, bool transpose)
    {
        var m = new float[input * output];
        for (var j = 0; j < output; j++)
        {
            int start = j * input / output, end = ((j + 1) * input + output - 1) / output;
            for (var i = start; i < end; i++) m[transpose ? j * input + i : i * output + j] = 1f / (end - start);
        }
        return m;
    }

    // Unshared weights as standard ops: a grouped one-hot conv unfolds the patches (channel c·kH·kW + ki·kW + kj),
    // a batched MatMul applies each output position's own C·kH·kW × C_out matrix, and reshapes restore N×C_out×oH×oW.
    private string EmitLocallyConnected(LocallyConnectedLayer l, string x, Shape shape, string path)
    {
        var output = l.Infer(shape, Site.Root);
        var (c, kh, kw, cOut, oh, ow) = (shape[1], l.Kernel.At(0, 2), l.Kernel.At(1, 2), l.Filters, output[2], output[3]);
        int k = c * kh * kw, positions = oh * ow;
        var eye = new float[k * kh * kw];
        for (var i = 0; i < k; i++) eye[i * kh * kw + i % (kh * kw)] = 1f;
        int[] padding = [l.Padding.At(0, 2), l.Padding.At(1, 2)];
        var patches = graph.Add(Site.Join(path, "unfold"), "Conv", [x, graph.Floats(Site.Join(path, "unfold_kernel"), [k, 1, kh, kw], eye)],
            OnnxAttribute.Ints("kernel_shape", [kh, kw]), OnnxAttribute.Ints("strides", [l.Stride.At(0, 2), l.Stride.At(1, 2)]),
            OnnxAttribute.Ints("dilations", [l.Dilation.At(0, 2), l.Dilation.At(1, 2)]), OnnxAttribute.Ints("pads", [.. padding, .. padding]),
            OnnxAttribute.Int("group", c));
        var flat = graph.Add(Site.Join(path, "patches"), "Reshape", [patches, graph.Int64s(Site.Join(path, "patches_shape"), [0, k, positions])]);
        var byPosition = graph.Add(Site.Join(path, "by_position"), "Transpose", [flat], OnnxAttribute.Ints("perm", [2, 0, 1]));
        // The weight oH×oW×C_out×(C·kH·kW) becomes positions × (C·kH·kW) × C_out.
        var w = Parameter(path, "weight").ToArray();
        var matrices = new float[w.Length];
        for (var p = 0; p < positions; p++)
            for (var o = 0; o < cOut; o++)
                for (var i = 0; i < k; i++)
                    matrices[(p * k + i) * cOut + o] = w[(p * cOut + o) * k + i];
        var products = graph.Add(Site.Join(path, "matmul"), "MatMul", [byPosition, graph.Floats(Site.Join(path, "weight"), [positions, k, cOut], matrices)]);
        var channelsFirst = graph.Add(Site.Join(path, "channels_first"), "Transpose", [products], OnnxAttribute.Ints("perm", [1, 2, 0]));
        var y = graph.Add(l.Bias ? Site.Join(path, "reshape") : NodeName(path, "locally_connected"), "Reshape",
            [channelsFirst, graph.Int64s(Site.Join(path, "output_shape"), [0, cOut, oh, ow])]);
        return l.Bias ? graph.Add(NodeName(path, "locally_connected"), "Add", [y, Weight(path, "bias")]) : y;
    }
}
