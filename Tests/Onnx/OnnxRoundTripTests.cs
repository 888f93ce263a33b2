using Functional.Io.Onnx;
using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Functions;
using Xunit;
using static Functional.Dsl.Layers;
using OnnxIo = Functional.Io.Onnx.Onnx;

namespace Functional.Tests.Onnx;

/// <summary>
/// Export then import gives back an equal network with equal parameters and state, for every layer kind and
/// option; a description that does not reproduce the graph is not believed; and the graph alone (no description,
/// as from another tool) reads back the same network wherever the graph does not leave a choice.
/// </summary>
public sealed class OnnxRoundTripTests
{
    /// <summary>Every layer kind with its options, as a small network and the input it runs on.</summary>
    public static TheoryData<string, Layer, Shape> Cases => new()
    {
        { "conv padding rules", Sequential(Conv(3, 2, padding: Padding.Same), Conv(3, 3, padding: Padding.Full), Conv(3, 3, padding: Padding.Valid),
            Conv(4, (3, 5), stride: (2, 1), padding: (1, 2), dilation: (1, 2), bias: false)), Shape.Image(2, 11, 12) },
        { "conv padding modes", Sequential(Conv(3, 3, padding: 1, paddingMode: PaddingMode.Reflect), Conv(3, 3, padding: 1, paddingMode: PaddingMode.Replicate),
            Conv(3, 3, padding: Padding.Same, paddingMode: PaddingMode.Circular)), Shape.Image(2, 8, 8) },
        { "conv 1-d, 3-d, grouped, depthwise, separable", Sequential(Conv(4, 3, groups: 2), DepthwiseConv(3, padding: 1), Pointwise(4), SeparableConv(6, 3, padding: 1)), Shape.Image(2, 7, 7) },
        { "conv 1-d and 3-d", Sequential(Conv1d(4, 3, stride: 2), MaxPool(2)), Shape.Sequence(2, 16) },
        { "conv 3-d", Sequential(Conv3d(3, (1, 3, 3), padding: Padding.Same), AvgPool(2)), Shape.Volume(2, 4, 6, 6) },
        { "transposed conv", Sequential(ConvTranspose(3, 3, stride: 2, padding: 1, outputPadding: 1), ConvTranspose(2, 2, stride: 2, groups: 1, bias: false)), Shape.Image(2, 4, 4) },
        { "locally connected", Sequential(LocallyConnected(3, 3, stride: 2, padding: 1), LocallyConnected(2, (2, 3), bias: false)), Shape.Image(2, 9, 10) },
        { "pooling options", Sequential(MaxPool(3, stride: 2, padding: 1, dilation: 2, ceil: true), AvgPool(2, stride: 1, padding: 1, countIncludePad: false), AvgPool(2, ceil: true)), Shape.Image(2, 12, 11) },
        { "global and adaptive pooling", Concat(GlobalAvgPool, Sequential(AdaptiveAvgPool(1, 1))), Shape.Image(2, 6, 6) },
        { "adaptive pooling, equal and unequal windows", Sequential(AdaptiveAvgPool(3, 2), AdaptiveAvgPool(2)), Shape.Image(2, 9, 7) },
        { "dense, flatten, activations, dropout", Sequential(Flatten, Dense(6), ReLU, Dropout(0.25f), Dense(5, bias: false), LeakyReLU(0.2f), Sigmoid, Dense(4), Tanh), Shape.Image(1, 3, 3) },
        { "softmax", Sequential(Flatten, Dense(4), Softmax), Shape.Image(1, 2, 2) },
        { "log softmax", Sequential(Flatten, Dense(4), LogSoftmax), Shape.Image(1, 2, 2) },
        { "batch norm", Sequential(Conv(3, 3), BatchNormWith(momentum: 0.3f, eps: 1e-3f), BatchNorm), Shape.Image(2, 5, 5) },
        { "residuals", Sequential(Residual(Sequential(Conv(2, 3, padding: 1), BatchNorm)), Residual(Sequential(Conv(4, 3, stride: 2, padding: 1), BatchNorm), after: ReLU),
            Residual(Conv(5, 1), shortcut: Sequential(Conv(5, 1, bias: false), BatchNorm))), Shape.Image(2, 6, 6) },
        { "concat, named, channels, channel affine", Sequential(Named("stem", Conv(4, 1)), Concat(Named("left", Conv(2, 1)), Sequential(Channels(3, 0), ChannelAffine), Identity),
            Named("head", Sequential(Flatten, Named("out", Dense(3))))), Shape.Image(2, 3, 3) },
        { "explicit pad", Sequential(new PadLayer([0, 1], [1, 0]), Conv(2, 2), new PadLayer([1, 1], [0, 2], PaddingMode.Reflect)), Shape.Image(2, 5, 5) },
        { "modern activations", Sequential(Conv(3, 3, padding: 1), GELU(), GELU(tanh: true), SiLU, Hardswish, Mish), Shape.Image(2, 5, 5) },
        { "layer, group and instance norm", Sequential(Conv(4, 3, padding: 1), LayerNorm(), GroupNorm(2, eps: 1e-3f), InstanceNorm(), LayerNorm(2, eps: 1e-4f), LayerNorm(1)), Shape.Image(2, 5, 6) },
        { "upsampling 2-d", Sequential(Upsample(2), Upsample(1, 2), UpsampleBilinear(2), UpsampleBilinear(3, alignCorners: true)), Shape.Image(2, 3, 4) },
        { "upsampling 1-d", Sequential(Upsample(3), Conv1d(2, 3)), Shape.Sequence(2, 5) },
        { "flatten range", Sequential(FlattenRange(2, 3), FlattenRange(-2), FlattenRange(1, 1)), Shape.Volume(2, 3, 4, 5) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Export_then_import_gives_back_an_equal_network_and_parameters(string what, Layer layer, Shape input)
    {
        var model = OnnxRuntimeCheck.Build(layer, input);
        var back = OnnxIo.Import($"{what}.onnx", model.ToOnnx());
        AssertEqual(model, back);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_recorded_description_reproduces_the_graph_so_import_believes_it(string what, Layer layer, Shape input)
    {
        // Otherwise import falls back to the graph, which cannot tell apart e.g. FlattenRange(-2) and FlattenRange(2).
        var model = OnnxRuntimeCheck.Build(layer, input);
        var described = OnnxDescribed.Match(OnnxModelReader.Read($"{what}.onnx", model.ToOnnx()));
        // PadLayer, import's own layer for unequal pads, has no description: its graph alone reads back equal.
        if (!Io.Description.NetworkDescription.CanDescribe(layer)) { Assert.Null(described); return; }
        Assert.NotNull(described);
        Assert.Equal(model.Architecture, described.Architecture);
    }

    [Fact]
    public void The_cases_cover_every_layer_type_of_the_library()
    {
        var covered = new HashSet<Type>();
        void Walk(Layer l)
        {
            covered.Add(l.GetType());
            switch (l)
            {
                case Chain c: foreach (var x in c.Layers) Walk(x); break;
                case Concat c: foreach (var x in c.Branches) Walk(x); break;
                case Named n: Walk(n.Layer); break;
                case Residual r: Walk(r.Block); if (r.Shortcut is not null) Walk(r.Shortcut); if (r.After is not null) Walk(r.After); break;
            }
        }
        foreach (var row in Cases) Walk((Layer)row[1]);
        // A Lambda layer runs arbitrary code, which no ONNX graph can hold: export refuses it (see
        // OnnxExportFunctionLayerTests), so no round trip can cover it.
        var all = typeof(Layer).Assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract && typeof(Layer).IsAssignableFrom(t) && t != typeof(LambdaLayer));
        Assert.Empty(all.Where(t => !covered.Contains(t)).Select(t => t.Name));
    }

    [Fact]
    public void A_description_that_does_not_reproduce_the_graph_is_not_believed()
    {
        // The graph of Conv(3, 3, padding 1), described as Conv(3, 3, padding Full): the pads differ, so the file's
        // graph, not its description, decides.
        var model = OnnxRuntimeCheck.Build(Conv(3, 3, padding: 1), Shape.Image(2, 6, 6));
        var lie = Io.Description.NetworkDescription.Write(Conv(3, 3, padding: Padding.Full));
        var back = OnnxIo.Import("lie.onnx", OnnxExport.ToOnnx(model, null, lie));
        AssertEqual(model, back);
    }

    [Fact]
    public void Without_the_description_the_graph_reads_back_the_same_network_where_it_leaves_no_choice()
    {
        var model = OnnxRuntimeCheck.Build(Sequential(
            Conv(4, 3, padding: 1), BatchNorm, ReLU,
            Residual(Sequential(Conv(4, 3, padding: 1, bias: false), BatchNorm, LeakyReLU(0.2f), Conv(4, 3, padding: 1, paddingMode: PaddingMode.Reflect))),
            Residual(Sequential(Conv(6, 3, stride: 2, padding: 1), BatchNorm)), Tanh, new PadLayer([0, 1], [1, 1]),
            MaxPool(2, stride: 1, padding: 1, ceil: true), Concat(Conv(2, 1), Sequential(Conv(3, (3, 1), padding: (1, 0)), Sigmoid)),
            AvgPool(2, countIncludePad: false), ConvTranspose(3, 2, stride: 2), GlobalAvgPool, Flatten, Dense(7), ReLU, Dense(3, bias: false), LogSoftmax), Shape.Image(3, 8, 8));
        AssertEqual(model, OnnxIo.Import("graph-only.onnx", OnnxExport.ToOnnx(model, null, null)));
    }

    /// <summary>Same architecture, input, and parameter and state trees bit for bit.</summary>
    internal static void AssertEqual(Model expected, Model actual)
    {
        Assert.Equal(expected.Architecture, actual.Architecture);
        Assert.Equal(expected.InputShape, actual.InputShape);
        Assert.Equal(expected.Parameters.Select(p => p.Path), actual.Parameters.Select(p => p.Path));
        Assert.Equal(expected.State.Select(p => p.Path), actual.State.Select(p => p.Path));
        foreach (var (a, b) in expected.Parameters.Concat(expected.State).Zip(actual.Parameters.Concat(actual.State)))
            Assert.True(a.Value.ToArray().AsSpan().SequenceEqual(b.Value.ToArray()), $"'{a.Path}' differs");
    }
}
