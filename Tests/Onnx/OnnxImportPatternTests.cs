using Functional.Io.Onnx;
using Functional.Network;
using Functional.Random;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using OnnxIo = Functional.Io.Onnx.Onnx;

namespace Functional.Tests.Onnx;

/// <summary>
/// Graphs in forms our exporter never writes but other exporters do (unequal pads on a Conv or pooling node,
/// reshape targets computed from the input's shape, a MatMul whose bias Add stands elsewhere in the node list,
/// Sub/Div normalisation), built node by node. ONNX Runtime runs each file, and the import must predict the same.
/// </summary>
public sealed class OnnxImportPatternTests
{
    [Theory]
    [InlineData(new long[] { 0, 0, 1, 1 }, 1)]   // TensorFlow's SAME for an even kernel: the extra on the far side
    [InlineData(new long[] { 2, 0, 1, 1 }, 2)]
    [InlineData(new long[] { 1, 1, 1, 1 }, 1)]   // equal pads stay the conv's own padding
    public void A_conv_with_unequal_pads_imports_as_a_pad_layer_and_the_conv(long[] pads, int stride)
    {
        var (g, x) = Start();
        var y = g.Add("conv", "Conv", [x, Weights(g, "conv.weight", [4, 2, 2, 3], 1), Weights(g, "conv.bias", [4], 2)],
            OnnxAttribute.Ints("kernel_shape", [2, 3]), OnnxAttribute.Ints("pads", pads.Select(p => (int)p)), OnnxAttribute.Ints("strides", [stride, stride]));
        var model = Agrees(g, y, Shape.Image(2, 7, 8));
        Assert.Equal(pads[..2].SequenceEqual(pads[2..]), model.Architecture is not Network.Combinators.Chain { Layers: [PadLayer, ..] });
    }

    [Theory]
    [InlineData("MaxPool", 1)]
    [InlineData("AveragePool", 1)]
    public void Pooling_with_unequal_pads_imports_where_a_pad_layer_gives_the_same_windows(string op, int countIncludePad)
    {
        var (g, x) = Start();
        OnnxAttribute[] attributes = [OnnxAttribute.Ints("kernel_shape", [3, 2]), OnnxAttribute.Ints("strides", [2, 2]), OnnxAttribute.Ints("pads", [1, 0, 0, 1]),
            .. (op == "AveragePool" ? new[] { OnnxAttribute.Int("count_include_pad", countIncludePad) } : [])];
        var y = g.Add("pool", op, [x], attributes);
        Agrees(g, y, Shape.Image(2, 8, 7));
    }

    [Theory]
    [InlineData("ceil_mode", 1L, "ceil mode")]
    [InlineData("count_include_pad", 0L, "count_include_pad = 0")]
    public void Pooling_with_unequal_pads_that_no_pad_layer_expresses_is_an_error_naming_the_node(string attribute, long value, string reason)
    {
        var (g, x) = Start();
        var y = g.Add("odd_pool", "AveragePool", [x], OnnxAttribute.Ints("kernel_shape", [2, 2]), OnnxAttribute.Ints("pads", [0, 0, 1, 1]), OnnxAttribute.Int(attribute, value));
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("odd.onnx", Write(g, y, Shape.Image(2, 6, 6), Shape.Image(2, 3, 3))));
        Assert.Contains("'odd_pool' (AveragePool, opset 19)", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Theory]
    [InlineData("shape-of-batch")]   // x.reshape(x.shape[0], -1): Shape, Gather 0, Unsqueeze, Concat with [-1]
    [InlineData("zero")]             // Reshape to [0, -1]: 0 copies the batch size
    [InlineData("minus-one")]        // x.view(-1, 45)
    public void Reshape_to_rows_of_the_batch_imports_as_flatten(string form)
    {
        var (g, x) = Start();
        var h = g.Add("relu", "Relu", [x]);
        var target = form switch
        {
            "shape-of-batch" => g.Add("concat", "Concat",
                [g.Add("unsqueeze", "Unsqueeze", [g.Add("gather", "Gather", [g.Add("shape", "Shape", [h]), g.Int64s("zero", [0], [])]), g.Int64s("axes", [0])]),
                 g.Int64s("rest", [-1])], OnnxAttribute.Int("axis", 0)),
            "zero" => g.Int64s("target", [0, -1]),
            _ => g.Int64s("target", [-1, 45]),
        };
        var flat = g.Add("reshape", "Reshape", [h, target]);
        var y = g.Add("gemm", "Gemm", [flat, Weights(g, "fc.weight", [3, 45], 3), Weights(g, "fc.bias", [3], 4)], OnnxAttribute.Int("transB", 1));
        var model = Agrees(g, y, Shape.Image(5, 3, 3), Shape.Of(3));
        Assert.Contains(((Network.Combinators.Chain)model.Architecture).Layers, l => l is Network.Primitives.FlattenLayer);
    }

    [Fact]
    public void A_MatMul_and_its_bias_Add_import_as_one_dense_layer_wherever_they_stand_in_the_node_list()
    {
        var (g, x) = Start();
        var flat = g.Add("flatten", "Flatten", [x], OnnxAttribute.Int("axis", 1));
        // Node list: both MatMuls first, then both Adds (in the other order), then the Concat.
        var left = g.Add("left", "MatMul", [flat, Weights(g, "left.weight", [12, 4], 5)]);
        var right = g.Add("right", "MatMul", [flat, Weights(g, "right.weight", [12, 2], 6)]);
        var rightSum = g.Add("right_add", "Add", [Weights(g, "right.bias", [2], 7), right]);
        var leftSum = g.Add("left_add", "Add", [left, Weights(g, "left.bias", [1, 4], 8)]);
        var y = g.Add("cat", "Concat", [leftSum, rightSum], OnnxAttribute.Int("axis", 1));
        var model = Agrees(g, y, Shape.Image(3, 2, 2), Shape.Of(6));
        Assert.Equal(4, model.Parameters.Count);   // two dense layers, each with a weight and a bias
    }

    [Fact]
    public void Sub_and_Div_by_per_channel_constants_import_as_channel_scalings()
    {
        var (g, x) = Start();
        var centred = g.Add("sub", "Sub", [x, Weights(g, "mean", [3, 1, 1], 9)]);
        var scaled = g.Add("div", "Div", [centred, g.Floats("std", [1, 3, 1, 1], [0.5f, 2f, 0.25f])]);
        var y = g.Add("conv", "Conv", [scaled, Weights(g, "conv.weight", [2, 3, 3, 3], 10)], OnnxAttribute.Ints("kernel_shape", [3, 3]));
        Agrees(g, y, Shape.Image(3, 5, 5));
    }

    [Fact]
    public void A_per_channel_constant_that_would_broadcast_over_another_dim_is_an_error()
    {
        var (g, x) = Start();
        var y = g.Add("scale", "Mul", [x, Weights(g, "w", [5], 11)]);   // a 5-vector scales W of an N×3×5×5 input, not channels
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("scale.onnx", Write(g, y, Shape.Image(3, 5, 5), Shape.Image(3, 5, 5))));
        Assert.Contains("broadcast", e.Message);
    }

    internal static (OnnxGraph Graph, string Input) Start()
    {
        var g = new OnnxGraph();
        return (g, g.Reserve("input"));
    }

    internal static string Weights(OnnxGraph g, string name, long[] dims, int seed) =>
        g.Floats(name, dims, Tensor.Uniform(Shape.Of(dims.Select(d => (int)d)), Key.FromSeed(seed), -1f, 1f).ToArray());

    internal static byte[] Write(OnnxGraph g, string y, Shape input, Shape output)
    {
        var outputName = g.Add("output", "Identity", [y]);
        return OnnxModelWriter.Write(g, "pattern", "", new OnnxValue("input", input), new OnnxValue(outputName, output), new Dictionary<string, string>());
    }

    /// <summary>Writes the graph, imports it and checks Predict against ONNX Runtime at batch sizes 1 and 5. The
    /// declared output shape is for readers only (ONNX Runtime computes the true one, which the import must match).</summary>
    internal static Model Agrees(OnnxGraph g, string y, Shape input, Shape? output = null)
    {
        var bytes = Write(g, y, input, output ?? input);
        var model = OnnxIo.Import("pattern.onnx", bytes);
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(bytes, options);
        foreach (var n in new[] { 1, 5 })
        {
            var x = Tensor.Uniform(input.WithBatch(n), Key.FromSeed(20 + n), -1f, 1f);
            var expected = OnnxRuntimeCheck.Run(session, x);
            var actual = model.Predict(x).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            var error = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max() / expected.Max(v => Math.Abs((double)v));
            Assert.True(error <= 1e-4, $"batch {n}: max relative error {error:E2}; imported as {model.Architecture}");
        }
        return model;
    }
}
