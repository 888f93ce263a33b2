using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Io.Description;
using Functional.Network;
using Functional.Properties.Support;
using Functional.Random;
using Xunit;
using Xunit.Sdk;

namespace Functional.Properties;

/// <summary>
/// A network's description (the JSON a checkpoint carries) rebuilds the network: for any layer value the rebuilt
/// layer is equal and describes itself with the same text, and for any generated network that fits its input the
/// rebuilt one has the same output shape, parameter paths and shapes, and the same predictions bit for bit.
/// </summary>
public class NetworkDescriptionLaws
{
    // 300 layer values up to three combinators deep: reading and writing JSON only.
    [Property(MaxTest = 300)]
    [Trait("Law", "DescriptionRoundTrip")]
    public Property Any_layer_value_read_back_from_its_description_is_equal() =>
        Prop.ForAll(LayerValueGen.Any(3).ToArbitrary(), layer =>
        {
            var text = NetworkDescription.Write(layer);
            var back = NetworkDescription.Read(text);
            if (!back.Equals(layer)) throw new XunitException($"{layer} came back as a different layer from {text}");
            if (NetworkDescription.Write(back) != text) throw new XunitException($"{layer}: the rebuilt layer describes itself differently:\n{text}\n{NetworkDescription.Write(back)}");
        });

    // 100 generated networks: each is initialised twice and run forward once per copy.
    [Property(MaxTest = 100)]
    [Trait("Law", "DescriptionRebuildsNetwork")]
    public void A_generated_network_rebuilt_from_its_description_computes_the_same(NetCase net)
    {
        var back = NetworkDescription.Read(NetworkDescription.Write(net.Layer));
        Assert.Equal(net.Layer, back);
        Assert.Equal(net.Layer.OutputShape(net.Input), back.OutputShape(net.Input));
        Assert.Equal(net.Layer.TensorShapes(net.Input).Select(t => (t.Path, t.Shape)), back.TensorShapes(net.Input).Select(t => (t.Path, t.Shape)));
        var (a, b) = (net.Layer.Init(net.Input, net.Seed), back.Init(net.Input, net.Seed));
        var x = Tensor.Uniform(net.Input.WithBatch(2), Key.FromSeed(net.Seed + 1), -1f, 1f);
        Assert.Equal(Bits(a.Predict(x)), Bits(b.Predict(x)));
    }

    private static int[] Bits(Tensor t) => t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
}
