using Functional.Io.Onnx;
using Functional.Network;
using Functional.Random;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Onnx;

/// <summary>Each layer kind and option, exported and run by ONNX Runtime at batch sizes 1 and 5.</summary>
public sealed class OnnxExportLayerTests
{
    [Fact]
    public void Conv1d_net_agrees() => Check(Sequential(
        Conv1d(4, 3, stride: 2, padding: 1, dilation: 1), ReLU, Conv1d(6, 3, padding: Padding.Same, dilation: 2, groups: 2),
        MaxPool(2), LeakyReLU(0.1f), AvgPool(3, stride: 2, padding: 1, countIncludePad: false), Flatten, Dense(5)), Shape.Sequence(2, 20));

    [Fact]
    public void Conv3d_net_agrees() => Check(Sequential(
        Conv3d(4, (3, 3, 3), padding: 1), BatchNorm, ReLU, Conv3d(4, (1, 3, 3), stride: (1, 2, 2), groups: 4, bias: false),
        MaxPool((1, 2, 2)), Sigmoid, GlobalAvgPool, Flatten, Dense(3)), Shape.Volume(2, 4, 8, 8));

    [Theory]
    [InlineData(PaddingMode.Zeros)]
    [InlineData(PaddingMode.Reflect)]
    [InlineData(PaddingMode.Replicate)]
    [InlineData(PaddingMode.Circular)]
    public void Every_padding_rule_agrees_in_every_mode(PaddingMode mode) => Check(Sequential(
        Conv(3, 3, padding: 1, paddingMode: mode),
        Conv(3, (3, 5), padding: Padding.Of(1, 2), paddingMode: mode),
        Conv(4, 4, stride: 3, padding: Padding.Same, paddingMode: mode),
        Conv(4, 2, padding: Padding.Same, paddingMode: mode),
        Conv(2, 3, padding: mode == PaddingMode.Zeros ? Padding.Full : Padding.Of(2), paddingMode: mode), Tanh),
        Shape.Image(2, 11, 12));

    [Fact]
    public void Transposed_conv_decoder_agrees() => Check(Sequential(
        Conv(8, 3, stride: 2, padding: 1), ReLU,
        ConvTranspose(4, 3, stride: 2, padding: 1, outputPadding: 1), BatchNorm, ReLU,
        ConvTranspose(2, (2, 3), stride: (2, 1), padding: (0, 1), dilation: 2), Sigmoid), Shape.Image(3, 8, 8));

    [Fact]
    public void Grouped_and_three_d_transposed_convs_agree()
    {
        Check(ConvTranspose(4, 3, stride: 2, groups: 2), Shape.Image(4, 5, 5));
        Check(ConvTranspose(3, 2, stride: 2, outputPadding: 1, bias: false), Shape.Volume(2, 3, 3, 3));
        Check(ConvTranspose(3, 3, stride: 3, outputPadding: 2), Shape.Sequence(2, 6));
    }

    [Fact]
    public void Locally_connected_layer_agrees()
    {
        Check(Sequential(LocallyConnected(4, 3, stride: 2, padding: 1), ReLU, LocallyConnected(3, (2, 3), dilation: (1, 2), bias: false)), Shape.Image(2, 9, 10));
        Check(LocallyConnected(2, 2, stride: (1, 2)), Shape.Image(3, 4, 6));
    }

    [Fact]
    public void Pooling_options_agree()
    {
        Check(MaxPool(3, stride: 2, padding: 1, dilation: 2, ceil: true), Shape.Image(2, 11, 10));
        Check(MaxPool((2, 3), stride: (2, 1), ceil: true), Shape.Image(2, 7, 9));
        Check(AvgPool(3, stride: 2, padding: 1, ceil: true), Shape.Image(2, 10, 11));
        Check(AvgPool(3, stride: 2, padding: 1, ceil: true, countIncludePad: false), Shape.Image(2, 10, 11));
        Check(AvgPool(2, ceil: true), Shape.Volume(2, 5, 5, 5));
    }

    [Fact]
    public void Adaptive_average_pooling_agrees_with_equal_and_unequal_windows()
    {
        Check(AdaptiveAvgPool(2, 3), Shape.Image(2, 8, 9));
        Check(AdaptiveAvgPool(3, 4), Shape.Image(2, 7, 10));
        Check(AdaptiveAvgPool(3), Shape.Sequence(2, 8));
        Check(AdaptiveAvgPool(2), Shape.Volume(2, 4, 6, 8));
    }

    [Fact]
    public void Combinators_softmax_and_dropout_agree() => Check(Sequential(
        Conv(4, 3, padding: 1),
        Residual(Sequential(Conv(4, 3, padding: 1), BatchNorm), after: ReLU),
        Residual(Sequential(Conv(6, 3, stride: 2, padding: 1), BatchNorm)),
        Concat(Named("left", Conv(2, 1)), Named("right", Sequential(Conv(3, 3, padding: 1), Dropout(0.5f)))),
        Channels(4, 0, 2), ChannelAffine, Flatten, Dense(7, bias: false), Dropout(0.3f), Softmax), Shape.Image(3, 8, 8));

    [Fact]
    public void Log_softmax_agrees() => Check(Sequential(Flatten, Dense(6), LogSoftmax), Shape.Image(2, 3, 3));

    [Fact]
    public void Initializers_and_nodes_are_named_by_parameter_path()
    {
        var model = Sequential(Named("features", Sequential(Conv(2, 3), ReLU)), Flatten, Named("classifier", Dense(3))).Init(Shape.Image(1, 5, 5), 1);
        var file = OnnxModelReader.Read("named.onnx", model.ToOnnx());
        Assert.Equal(["features.0.weight", "features.0.bias", "classifier.weight", "classifier.bias"], file.Initializers.Keys);
        Assert.Equal([("features.0", "Conv"), ("features.1", "Relu"), ("1", "Flatten"), ("classifier", "Gemm"), ("output", "Identity")],
            file.Nodes.Select(n => (n.Name, n.OpType)));
    }

    [Fact]
    public void A_layer_without_an_onnx_form_is_an_error_naming_its_path()
    {
        var model = Sequential(Conv(2, 3), Named("odd", new Network.Primitives.ActivationLayer(new Functional.Ops.Activation("Exp", Backends.UnaryOp.Exp)))).Init(Shape.Image(1, 5, 5), 1);
        var e = Assert.Throws<OnnxExportException>(() => model.ToOnnx());
        Assert.Equal("odd", e.Path);
        Assert.Contains("'odd'", e.Message);
    }

    [Fact]
    public void ExportOnnx_writes_a_file_onnx_runtime_loads()
    {
        var model = OnnxRuntimeCheck.Build(Sequential(Conv(2, 3), Flatten, Dense(4)), Shape.Image(1, 6, 6));
        var path = Path.Combine(Path.GetTempPath(), $"functional-{Guid.NewGuid():N}.onnx");
        try
        {
            model.ExportOnnx(path);
            using var session = new InferenceSession(path);
            var x = Tensor.Uniform(Shape.Images(3, 1, 6, 6), Key.FromSeed(3));
            var expected = model.Predict(x).ToArray();
            var actual = OnnxRuntimeCheck.Run(session, x);
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < actual.Length; i++) Assert.Equal(expected[i], actual[i], 1e-4f);
        }
        finally { File.Delete(path); }
    }

    private static void Check(Layer layer, Shape input) => OnnxRuntimeCheck.Agrees(OnnxRuntimeCheck.Build(layer, input));
}
