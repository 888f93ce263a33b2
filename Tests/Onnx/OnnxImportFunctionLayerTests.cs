using Functional.Io.Onnx;
using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Functions;
using Xunit;
using static Functional.Dsl.Layers;
using static Functional.Tests.Onnx.OnnxImportPatternTests;
using OnnxIo = Functional.Io.Onnx.Onnx;

namespace Functional.Tests.Onnx;

/// <summary>
/// The function layers read from the graph alone, as from a file another tool wrote: the exporter's own forms read
/// back equal, PyTorch's forms (axis −k, a Shape node for GroupNorm's reshape back, pytorch_half_pixel) agree with
/// ONNX Runtime, and forms import does not read are errors naming the node.
/// </summary>
public sealed class OnnxImportFunctionLayerTests
{
    public static TheoryData<string, Layer, Shape> Cases => new()
    {
        { "activations", Sequential(Conv(3, 3, padding: 1), GELU(), SiLU, Hardswish, Mish), Shape.Image(2, 5, 5) },
        { "norms", Sequential(Conv(4, 3, padding: 1), LayerNorm(), LayerNorm(2, eps: 1e-3f), LayerNorm(1), GroupNorm(2), InstanceNorm(1e-4f)), Shape.Image(2, 5, 6) },
        { "norms 1-d", Sequential(GroupNorm(2), InstanceNorm()), Shape.Sequence(4, 9) },
        { "upsampling", Sequential(Upsample(2), Upsample(1, 2), UpsampleBilinear(2), UpsampleBilinear(3, alignCorners: true)), Shape.Image(2, 3, 4) },
        { "upsampling 1-d", Upsample(3), Shape.Sequence(2, 5) },
        { "flatten of dims", Sequential(FlattenRange(2, -2), FlattenRange(2, -1)), Shape.Volume(2, 3, 4, 5) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_exported_forms_read_back_equal_from_the_graph_alone(string what, Layer layer, Shape input)
    {
        var model = OnnxRuntimeCheck.Build(layer, input);
        OnnxRoundTripTests.AssertEqual(model, OnnxIo.Import($"{what}.onnx", OnnxExport.ToOnnx(model, null, null)));
    }

    [Fact]
    public void Layer_normalization_over_the_last_three_axes_imports_as_layer_norm_of_three_dims()
    {
        var (g, x) = Start();
        var y = g.Add("ln", "LayerNormalization", [x, Weights(g, "ln.weight", [3, 4, 5], 1)], OnnxAttribute.Int("axis", -3), OnnxAttribute.Float("epsilon", 1e-3f));
        var model = Agrees(g, y, Shape.Image(3, 4, 5));
        Assert.Equal(new LayerNormLayer(3, 1e-3f), Only(model));
        Assert.All(model.Parameters.Single(p => p.Path == "bias").Value.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void PyTorch_group_norm_with_a_shape_node_and_unsqueezed_weights_imports_as_group_norm()
    {
        var (g, x) = Start();
        var grouped = g.Add("group", "Reshape", [x, g.Int64s("group_shape", [0, 2, -1])]);
        var norm = g.Add("norm", "InstanceNormalization", [grouped, g.Floats("ones", [2], [1f, 1f]), g.Floats("zeros", [2], [0f, 0f])], OnnxAttribute.Float("epsilon", 1e-5f));
        var back = g.Add("back", "Reshape", [norm, g.Add("shape", "Shape", [x])]);
        var w = g.Add("w", "Unsqueeze", [Weights(g, "gn.weight", [4], 2), g.Int64s("axes", [1, 2])]);
        var b = g.Add("b", "Unsqueeze", [Weights(g, "gn.bias", [4], 3), g.Int64s("axes_b", [1, 2])]);
        var y = g.Add("add", "Add", [g.Add("mul", "Mul", [back, w]), b]);
        var model = Agrees(g, y, Shape.Image(4, 3, 5));
        Assert.Equal(new GroupNormLayer(2), Only(model));
    }

    [Fact]
    public void Instance_normalization_with_per_channel_weights_imports_as_instance_norm()
    {
        var (g, x) = Start();
        var y = g.Add("in", "InstanceNormalization", [x, Weights(g, "in.weight", [3], 4), Weights(g, "in.bias", [3], 5)]);
        Assert.Equal(new GroupNormLayer(0), Only(Agrees(g, y, Shape.Image(3, 4, 4))));
    }

    [Theory]
    [InlineData("pytorch_half_pixel", false)]
    [InlineData("half_pixel", false)]
    [InlineData("align_corners", true)]
    public void Linear_resize_by_integer_scales_imports_as_bilinear_upsampling(string coordinates, bool alignCorners)
    {
        var (g, x) = Start();
        var y = g.Add("up", "Resize", [x, "", g.Floats("scales", [4], [1f, 1f, 2f, 3f])],
            OnnxAttribute.Text("mode", "linear"), OnnxAttribute.Text("coordinate_transformation_mode", coordinates));
        Assert.Equal(new UpsampleLayer([2, 3], UpsampleMode.Bilinear, alignCorners), Only(Agrees(g, y, Shape.Image(2, 3, 4))));
    }

    [Fact]
    public void Sigmoid_times_its_input_in_either_order_imports_as_silu()
    {
        var (g, x) = Start();
        var h = g.Add("relu", "Relu", [x]);
        var y = g.Add("silu", "Mul", [g.Add("sigmoid", "Sigmoid", [h]), h]);
        var model = Agrees(g, y, Shape.Image(2, 3, 3));
        Assert.Equal(Sequential(ReLU, SiLU), model.Architecture);
    }

    [Theory]
    [InlineData("cubic", "half_pixel", 2f, "mode 'cubic'")]
    [InlineData("nearest", "half_pixel", 2f, "coordinate_transformation_mode 'half_pixel'")]
    [InlineData("nearest", "asymmetric", 1.5f, "scales by [1, 1, 1.5, 1.5]")]
    public void A_resize_import_does_not_read_is_an_error_naming_the_node(string mode, string coordinates, float scale, string reason)
    {
        var (g, x) = Start();
        var y = g.Add("odd_resize", "Resize", [x, "", g.Floats("scales", [4], [1f, 1f, scale, scale])],
            OnnxAttribute.Text("mode", mode), OnnxAttribute.Text("coordinate_transformation_mode", coordinates), OnnxAttribute.Text("nearest_mode", "floor"));
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("resize.onnx", Write(g, y, Shape.Image(2, 4, 4), Shape.Image(2, 8, 8))));
        Assert.Contains("'odd_resize' (Resize, opset 19)", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Layer_normalization_from_an_axis_import_cannot_place_is_an_error()
    {
        var (g, x) = Start();
        var y = g.Add("odd_ln", "LayerNormalization", [x, Weights(g, "w", [4, 4], 6)], OnnxAttribute.Int("axis", 2));
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("ln.onnx", Write(g, y, Shape.Image(3, 4, 4), Shape.Image(3, 4, 4))));
        Assert.Contains("'odd_ln' (LayerNormalization, opset 19)", e.Message);
        Assert.Contains("axis 2", e.Message);
    }

    [Fact]
    public void A_reshape_whose_trailing_dims_are_not_the_inputs_is_an_error()
    {
        // [0, 0, -1, 6] on N×3×4×5: the -1 cannot be a merge of dims when the last dim becomes 6.
        var (g, x) = Start();
        var y = g.Add("reshape", "Reshape", [x, g.Int64s("target", [0, 0, -1, 6])]);
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("reshape.onnx", Write(g, y, Shape.Image(3, 4, 5), Shape.Of(3, 10, 6))));
        Assert.Contains("last dims differ", e.Message);
    }

    [Fact]
    public void The_tanh_gelu_from_the_graph_alone_is_an_error_naming_a_node()
    {
        var model = OnnxRuntimeCheck.Build(Sequential(Conv(2, 3), GELU(tanh: true)), Shape.Image(1, 5, 5));
        var e = Assert.Throws<OnnxFormatException>(() => OnnxIo.Import("gelu-tanh.onnx", OnnxExport.ToOnnx(model, null, null)));
        Assert.Contains("(Mul, opset 19)", e.Message);
    }

    private static Layer Only(Model model) => model.Architecture is Chain { Layers: [var only] } ? only : model.Architecture;
}
