using Functional.Io.Description;
using Functional.Network;
using Functional.Network.Primitives;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

/// <summary>The versioned JSON description of a network: its exact text, and the errors for what a build cannot read.</summary>
public class IoNetworkDescriptionTests
{
    [Fact]
    public void A_small_network_has_the_documented_description()
    {
        var net = Named("features", Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2))).Then(Flatten).Then(Dense(10));
        Assert.Equal(
            """{"format":1,"network":{"type":"chain","layers":[{"type":"named","name":"features","layer":{"type":"chain","layers":[""" +
            """{"type":"conv","filters":6,"kernel":[5],"stride":[1],"padding":[2],"dilation":[1],"groups":1,"bias":true,"padding_mode":"zeros","rank":null,"depthwise":false},""" +
            """{"type":"relu"},{"type":"max_pool","kernel":[2],"stride":null,"padding":null,"dilation":null,"ceil_mode":false,"count_include_pad":true}]}},""" +
            """{"type":"flatten"},{"type":"dense","units":10,"bias":true}]}}""",
            NetworkDescription.Write(net));
    }

    [Fact]
    public void Padding_rules_modes_and_per_dim_values_survive()
    {
        var conv = Conv3d(4, (1, 3, 5), stride: (1, 2, 2), padding: Padding.Same, dilation: (1, 1, 2), groups: 2, bias: false, paddingMode: PaddingMode.Circular);
        var back = (ConvLayer)NetworkDescription.Read(NetworkDescription.Write(conv));
        Assert.Equal(conv, back);
        Assert.Equal(PaddingKind.Same, back.Padding.Kind);
        Assert.Equal([1, 3, 5], back.Kernel.Values.ToArray());
        Assert.Equal(PaddingMode.Circular, back.Mode);
        Assert.Equal(3, back.Rank);
    }

    [Fact]
    public void An_unknown_format_version_is_refused_naming_the_version()
    {
        var e = Assert.Throws<NetworkFormatException>(() => NetworkDescription.Read("""{"format":2,"network":{"type":"relu"}}"""));
        Assert.Equal("format", e.Element);
        Assert.Contains("version 2 is not one this build reads (it reads format 1)", e.Message);
        e = Assert.Throws<NetworkFormatException>(() => NetworkDescription.Read("""{"network":{"type":"relu"}}"""));
        Assert.Equal("format", e.Element);
    }

    [Fact]
    public void An_unknown_layer_type_names_its_element()
    {
        var e = Assert.Throws<NetworkFormatException>(() => NetworkDescription.Read(
            """{"format":1,"network":{"type":"chain","layers":[{"type":"relu"},{"type":"residual","block":{"type":"swish"},"shortcut":null,"after":null}]}}"""));
        Assert.Equal("network.layers[1].block", e.Element);
        Assert.StartsWith("network.layers[1].block: unknown layer type 'swish'; this build reads chain, residual,", e.Message);
    }

    [Fact]
    public void A_missing_or_ill_typed_field_names_the_layer_and_the_field()
    {
        var e = Assert.Throws<NetworkFormatException>(() => NetworkDescription.Read("""{"format":1,"network":{"type":"dense","units":10}}"""));
        Assert.Equal("network: the dense layer lacks the field 'bias'.", e.Message);
        e = Assert.Throws<NetworkFormatException>(() => NetworkDescription.Read("""{"format":1,"network":{"type":"dense","units":"ten","bias":true}}"""));
        Assert.Equal("network.units: expected an integer, found \"ten\".", e.Message);
        e = Assert.Throws<NetworkFormatException>(() => NetworkDescription.Read("not json"));
        Assert.Equal("description", e.Element);
    }

    [Fact]
    public void A_layer_type_defined_outside_the_library_cannot_be_described()
    {
        var net = Conv(2, 3).Then(new Doubling());
        Assert.False(NetworkDescription.CanDescribe(net));
        var e = Assert.Throws<NetworkFormatException>(() => NetworkDescription.Write(net));
        Assert.Equal("network.layers[1]", e.Element);
        Assert.Contains("Doubling", e.Message);
    }

    /// <summary>A user-defined primitive: y = 2x.</summary>
    private sealed record Doubling : Primitive
    {
        public override string Description => "Doubling";
        protected override Shape Output(Shape input) => input;
        protected override LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass) =>
            throw new NotSupportedException("only described, never run");
    }
}
