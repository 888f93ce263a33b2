using Functional.Functions;
using Functional.Io.Onnx;
using Functional.Network;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Onnx;

/// <summary>
/// The layers built from tensor functions (GELU, SiLU, Hardswish, Mish, the norms, upsampling, flatten of dims),
/// exported at opset 19 and run by ONNX Runtime at batch sizes 1 and 5; and the Lambda layer, which has no ONNX form.
/// </summary>
public sealed class OnnxExportFunctionLayerTests
{
    public static TheoryData<string> Activations => ["gelu", "gelu-tanh", "silu", "hardswish", "mish"];

    [Theory]
    [MemberData(nameof(Activations))]
    public void Each_activation_agrees(string name)
    {
        var activation = name switch
        {
            "gelu" => GELU(),
            "gelu-tanh" => GELU(tanh: true),
            "silu" => SiLU,
            "hardswish" => Hardswish,
            _ => Mish,
        };
        // Weights scaled up so the conv's outputs reach past ±3, where Hardswish's clamps start.
        var model = OnnxRuntimeCheck.Build(Sequential(Conv(4, 3, padding: 1), activation), Shape.Image(2, 6, 6));
        model = model.WithParameters(model.Parameters.Map((_, t) => Tensor.FromArray(t.Shape, t.ToArray().Select(v => 8f * v).ToArray())));
        Assert.Contains(model.Predict(Tensor.Uniform(Shape.Images(5, 2, 6, 6), Random.Key.FromSeed(5), -1f, 1f)).ToArray(), v => v > 3f);
        OnnxRuntimeCheck.Agrees(model);
    }

    [Fact]
    public void Layer_norm_agrees_over_every_dim_and_over_the_last_ones()
    {
        Check(Sequential(Conv(4, 3, padding: 1), LayerNorm(), LayerNorm(1, eps: 1e-3f), LayerNorm(2)), Shape.Image(2, 5, 6));
        Check(Sequential(Flatten, Dense(6), LayerNorm(), ReLU, Dense(3)), Shape.Image(2, 3, 3));
        Check(Sequential(Conv1d(3, 3), LayerNorm()), Shape.Sequence(2, 9));
    }

    [Fact]
    public void Group_and_instance_norm_agree_in_one_two_and_three_d()
    {
        Check(Sequential(Conv(6, 3, padding: 1), GroupNorm(3), GroupNorm(1, eps: 1e-3f), InstanceNorm()), Shape.Image(2, 5, 6));
        Check(Sequential(Conv1d(4, 3), GroupNorm(2), InstanceNorm(1e-4f)), Shape.Sequence(2, 9));
        Check(Sequential(Conv3d(4, 3, padding: 1), GroupNorm(2), InstanceNorm()), Shape.Volume(2, 3, 4, 5));
    }

    [Fact]
    public void Upsampling_agrees_in_each_mode()
    {
        Check(Sequential(Conv(2, 3, padding: 1), Upsample(2)), Shape.Image(2, 3, 4));
        Check(Upsample(1, 3), Shape.Image(2, 3, 4));
        Check(Upsample(3), Shape.Sequence(2, 5));
        Check(UpsampleBilinear(2), Shape.Image(2, 3, 4));
        Check(UpsampleBilinear(3, alignCorners: true), Shape.Image(2, 3, 4));
        Check(new Network.Functions.UpsampleLayer([2, 3], Network.Functions.UpsampleMode.Bilinear), Shape.Image(2, 4, 3));
    }

    [Fact]
    public void Flatten_of_dims_agrees()
    {
        Check(Sequential(FlattenRange(2, 3), Conv(2, 3)), Shape.Volume(2, 3, 4, 5));
        Check(Sequential(Conv(3, 3), FlattenRange(-2)), Shape.Image(2, 5, 6));
        Check(Sequential(FlattenRange(1, 2), Conv1d(2, 3)), Shape.Image(2, 4, 5));
    }

    [Fact]
    public void Gelu_is_written_as_its_erf_formula_at_opset_19()
    {
        var file = OnnxModelReader.Read("gelu.onnx", Sequential(Conv(2, 3), GELU()).Init(Shape.Image(1, 5, 5), 1).ToOnnx());
        Assert.Equal(19, file.Opset);
        Assert.Equal(["Conv", "Div", "Erf", "Add", "Mul", "Mul", "Identity"], file.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void Norm_weights_are_initializers_named_by_parameter_path()
    {
        var model = Sequential(Conv(4, 3), Named("ln", LayerNorm(2)), Named("gn", GroupNorm(2)), Named("in", InstanceNorm())).Init(Shape.Image(1, 5, 5), 1);
        var file = OnnxModelReader.Read("norms.onnx", model.ToOnnx());
        Assert.Contains("ln.weight", file.Initializers.Keys);
        Assert.Equal([3L, 3L], file.Initializers["ln.bias"].Dims);
        Assert.Equal([4L, 1L, 1L], file.Initializers["gn.weight"].Dims);
        Assert.Equal([4L], file.Initializers["in.bias"].Dims);
        var layerNorm = file.Nodes.Single(n => n.OpType == "LayerNormalization");
        Assert.Equal(-2L, layerNorm.Attributes.Single(a => a.Name == "axis").Value);
        // GroupNorm normalises 2 groups: InstanceNormalization with a unit scale of length 2.
        var groups = file.Nodes.First(n => n.OpType == "InstanceNormalization");
        Assert.Equal([1f, 1f], file.Initializers[groups.Inputs[1]].Floats!);
    }

    [Fact]
    public void A_lambda_layer_has_no_onnx_form_and_the_error_names_its_path()
    {
        var model = Sequential(Conv(2, 3), Named("custom", Lambda("doubled", (x, _) => Fn.Mul(x, 2f)))).Init(Shape.Image(1, 5, 5), 1);
        var e = Assert.Throws<OnnxExportException>(() => model.ToOnnx());
        Assert.Equal("custom", e.Path);
        Assert.Contains("'custom'", e.Message);
        Assert.Contains("arbitrary function", e.Message);
    }

    private static void Check(Layer layer, Shape input) => OnnxRuntimeCheck.Agrees(OnnxRuntimeCheck.Build(layer, input));
}
