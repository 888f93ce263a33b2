using Functional.Network;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

/// <summary>Receptive fields reported by the trace (and so by the summary) against the textbook results.</summary>
public class DslReceptiveFieldTests
{
    private static ReceptiveField Final(Layer net, Shape input, int dim = 0) => net.Trace(input)[^1].Field[dim];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public void L_stacked_3x3_convs_see_1_plus_2L(int layers)
    {
        var net = Sequential(Enumerable.Range(0, layers).Select(_ => Conv(4, 3, padding: 1).Then(ReLU)).ToArray());
        var field = Final(net, Shape.Image(3, 32, 32));
        Assert.Equal(1 + 2 * layers, field.Size);
        Assert.Equal(1, field.Jump);
        Assert.Equal(0.0, field.Start);
    }

    [Fact]
    public void Two_3x3_convs_see_what_one_5x5_sees_with_fewer_weights()
    {
        var vgg = Conv(8, 3, padding: 1).Then(ReLU).Then(Conv(8, 3, padding: 1));
        var wide = Conv(8, 5, padding: 2);
        Assert.Equal(Final(wide, Shape.Image(8, 16, 16)), Final(vgg, Shape.Image(8, 16, 16)));
        Assert.True(vgg.ParameterCount(Shape.Image(8, 16, 16)) < wide.ParameterCount(Shape.Image(8, 16, 16)));
    }

    [Fact]
    public void Strides_and_pooling_multiply_the_jump()
    {
        var net = Conv(4, 3, stride: 2).Then(MaxPool(2)).Then(Conv(4, 3, stride: 2));
        var f = Final(net, Shape.Image(1, 64, 64));
        Assert.Equal(8, f.Jump);
        // r: 1 → 3 (k3) → 3+1·2 = 5 (pool k2, j2) → 5+2·4 = 13 (k3 at j4).
        Assert.Equal(13, f.Size);
    }

    [Fact]
    public void Lenet5_fields_match_the_recurrence_by_hand()
    {
        var net = Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2)).Then(Conv(16, 5)).Then(ReLU).Then(MaxPool(2));
        var rows = net.Trace(Shape.Image(1, 28, 28));
        Assert.Equal(new ReceptiveField(5, 1, 0), rows[0].Field[0]);
        Assert.Equal(new ReceptiveField(6, 2, 0.5), rows[2].Field[0]);
        Assert.Equal(new ReceptiveField(14, 2, 4.5), rows[3].Field[0]);
        Assert.Equal(new ReceptiveField(16, 4, 5.5), rows[5].Field[1]);
    }

    [Fact]
    public void Dilation_and_per_dim_kernels_widen_each_dim_separately()
    {
        var f = Final(Conv(2, (3, 2), dilation: (2, 2)), Shape.Image(1, 32, 32), 0);
        var g = Final(Conv(2, (3, 2), dilation: (2, 2)), Shape.Image(1, 32, 32), 1);
        Assert.Equal(1 + 2 * 2, f.Size);    // k = 3, d = 2 along H
        Assert.Equal(1 + 1 * 2, g.Size);    // k = 2, d = 2 along W
    }

    [Fact]
    public void A_residual_sees_what_its_block_sees_and_dense_sees_everything()
    {
        var net = Conv(4, 3, padding: 1).Then(Residual(Conv(4, 3, padding: 1).Then(ReLU).Then(Conv(4, 3, padding: 1))))
            .Then(Flatten).Then(Dense(2));
        var rows = net.Trace(Shape.Image(4, 8, 8));
        var afterResidual = rows.Last(r => r.Path == "1.2");
        Assert.Equal(7, afterResidual.Field[0].Size);
        Assert.False(afterResidual.Global);
        Assert.True(rows[^1].Global);
    }
}
