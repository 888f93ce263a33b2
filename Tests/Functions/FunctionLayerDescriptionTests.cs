using Functional.Functions;
using Functional.Io.Description;
using Functional.Network;
using Functional.Network.Functions;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Functions;

/// <summary>The modern layers in network descriptions, and the errors their shape rules and the functions raise.</summary>
public class FunctionLayerDescriptionTests
{
    [Fact]
    public void Every_modern_layer_survives_its_description()
    {
        Layer[] layers = [GELU(), GELU(tanh: true), SiLU, Hardswish, Mish, LayerNorm(), LayerNorm(2, 1e-3f), GroupNorm(2), InstanceNorm(1e-4f),
            Upsample(2), Upsample(2, 3), UpsampleBilinear(2), UpsampleBilinear(3, alignCorners: true), FlattenRange(2, 3)];
        foreach (var layer in layers)
            Assert.Equal(layer, NetworkDescription.Read(NetworkDescription.Write(layer)));
        var net = Sequential(layers[..^1]);
        Assert.Equal(net, NetworkDescription.Read(NetworkDescription.Write(net)));
    }

    [Fact]
    public void Summaries_count_the_norms_parameters_from_shapes_and_two_mult_adds_per_element()
    {
        var rows = Conv(4, 3, padding: 1).Then(GroupNorm(2)).Then(LayerNorm()).Then(LayerNorm(1)).Then(Upsample(2)).Trace(Shape.Image(1, 5, 6));
        Assert.Equal(new long[] { 4 + 4, 4 * 5 * 6 * 2, 6 * 2, 0 }, rows.Skip(1).Select(r => r.Parameters));
        Assert.Equal(new long[] { 2L * 4 * 5 * 6, 2L * 4 * 5 * 6, 2L * 4 * 5 * 6, 0 }, rows.Skip(1).Select(r => r.MultAdds));
        Assert.Equal(Shape.Image(4, 10, 12), rows[^1].Output);
    }

    [Fact]
    public void A_lambda_layer_has_no_description_and_says_how_to_load_it()
    {
        var net = Dense(2).Then(Lambda("Twice", (x, _) => x * 2f));
        Assert.False(NetworkDescription.CanDescribe(net));
        var e = Assert.Throws<NetworkFormatException>(() => NetworkDescription.Write(net));
        Assert.Contains("Twice", e.Message);
        Assert.Contains("ModelCheckpoint.Load(path, architecture)", e.Message);
    }

    [Fact]
    public void Bad_shapes_raise_errors_naming_the_op_the_shapes_and_the_rule()
    {
        var a = Tensor.Zeros(Shape.Of(2, 3));
        var e = Assert.Throws<ShapeException>(() => Fn.Add(a, Tensor.Zeros(Shape.Of(4))));
        Assert.Contains("add: shapes 2×3 and 4 do not broadcast", e.Message);
        Assert.Contains("must be equal or one of them 1", e.Message);
        Assert.Contains("a has 3 columns but b has 2 rows", Assert.Throws<ShapeException>(() => Fn.Matmul(a, Tensor.Zeros(Shape.Of(2, 2)))).Message);
        Assert.Contains("sum: dim 2 is out of range for 2×3", Assert.Throws<ShapeException>(() => Fn.Sum(a, [2])).Message);
        Assert.Contains("permute: [0, 0] is not a permutation", Assert.Throws<ShapeException>(() => Fn.Permute(a, 0, 0)).Message);

        var g = Assert.Throws<ShapeException>(() => Conv(6, 3).Then(GroupNorm(4)).OutputShape(Shape.Image(1, 8, 8)));
        Assert.Contains("GroupNorm(4)", g.Message);
        Assert.Contains("4 groups do not divide the 6 channels", g.Message);
        var u = Assert.Throws<ShapeException>(() => UpsampleBilinear(2).OutputShape(Shape.Of(3, 8)));
        Assert.Contains("Upsample(2, bilinear)", u.Message);
        Assert.Contains("must be N×C×H×W", u.Message);
    }
}
