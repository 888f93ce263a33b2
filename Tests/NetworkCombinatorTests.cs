using Functional.Network;
using Functional.Random;
using Functional.Tests.Support;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

public class NetworkCombinatorTests
{
    [Fact]
    public void Then_is_associative_with_Identity_as_unit()
    {
        Layer a = Conv(4, 3), b = ReLU, c = MaxPool(2);
        Assert.Equal(a.Then(b).Then(c), a.Then(b.Then(c)));
        Assert.Equal(a, Identity.Then(a));
        Assert.Equal(a, a.Then(Identity));
        Assert.Equal(Sequential(a, b, c), a.Then(b).Then(c));
        Assert.NotEqual(a.Then(b), b.Then(a));
        Assert.Equal(Conv(4, 3, padding: 1), Conv(4, 3, padding: 1));
        Assert.NotEqual(Conv(4, 3, padding: 1), Conv(4, 3, padding: 2));
        Assert.Equal("Conv(4, 3, padding 1)", Conv(4, 3, padding: 1).ToString());
        Assert.Equal("Chain(3 layers)", a.Then(b).Then(c).ToString());
    }

    [Fact]
    public void A_residual_adds_its_input_and_a_projection_lives_under_downsample()
    {
        var block = Conv(3, 3, padding: 1);
        var model = Residual(block).Init(Shape.Image(3, 5, 5), seed: 2);
        Assert.Equal(["weight", "bias"], model.Parameters.Paths);
        var x = Tensor.Uniform(Shape.Images(2, 3, 5, 5), Key.FromSeed(9), -1, 1);
        var plain = block.Init(Shape.Image(3, 5, 5), seed: 0).WithParameters(model.Parameters).Predict(x).ToArray();
        var expected = plain.Zip(x.ToArray(), (p, v) => p + v).ToArray();
        Assert.Equal(expected, model.Predict(x).ToArray());

        var projected = Residual(Conv(8, 3, stride: 2, padding: 1, bias: false).Then(BatchNorm)).Init(Shape.Image(3, 8, 8), seed: 2);
        Assert.Equal(["0.weight", "1.weight", "1.bias", "downsample.0.weight", "downsample.1.weight", "downsample.1.bias"], projected.Parameters.Paths);
        Assert.Equal(Shape.Of(8, 3, 1, 1), projected.Parameters["downsample.0.weight"].Shape);
        Assert.Equal(["1.running_mean", "1.running_var", "downsample.1.running_mean", "downsample.1.running_var"], projected.State.Paths);
        Assert.Equal(Shape.Image(8, 4, 4), projected.OutputShape);
    }

    [Fact]
    public void Batch_norm_state_is_returned_by_training_steps_and_used_by_Predict()
    {
        var model = Conv(2, 3).Then(BatchNorm).Then(Flatten).Then(Dense(2)).Init(Shape.Image(1, 6, 6), seed: 4);
        var x = Tensor.Uniform(Shape.Images(4, 1, 6, 6), Key.FromSeed(5), 2, 3);
        var step = model.LossAndGradients(Loss.CrossEntropy, x, [0, 1, 1, 0], Key.FromSeed(6));
        Assert.Equal(["1.running_mean", "1.running_var"], step.State.Paths);
        Assert.Equal([0f, 0f], model.State["1.running_mean"].ToArray());
        Assert.All(step.State["1.running_mean"].ToArray(), m => Assert.NotEqual(0f, m));
        var updated = model.WithState(step.State);
        Assert.NotEqual(model.Predict(x).ToArray(), updated.Predict(x).ToArray());
        Assert.Equal(updated.Predict(x).ToArray(), updated.Predict(x).ToArray());
    }

    [Fact]
    public void Dropout_follows_the_key_in_training_and_is_off_in_Predict()
    {
        var model = Flatten.Then(Dropout(0.5f)).Init(Shape.Image(1, 8, 8), seed: 1);
        var x = Tensor.Ones(Shape.Images(2, 1, 8, 8));
        var a = model.Forward(x, Key.FromSeed(1)).Output.ToArray();
        Assert.Equal(a, model.Forward(x, Key.FromSeed(1)).Output.ToArray());
        Assert.NotEqual(a, model.Forward(x, Key.FromSeed(2)).Output.ToArray());
        Assert.Contains(0f, a);
        Assert.Contains(2f, a);
        Assert.All(model.Predict(x).ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Concat_stacks_branch_channels_and_numbers_branch_parameters()
    {
        var net = Concat(Conv(2, 1), Named("wide", Conv(3, 3, padding: 1)), Channels(0));
        var model = net.Init(Shape.Image(2, 4, 4), seed: 3);
        Assert.Equal(Shape.Image(6, 4, 4), model.OutputShape);
        Assert.Equal(["0.weight", "0.bias", "wide.weight", "wide.bias"], model.Parameters.Paths);
        var x = Tensor.Uniform(Shape.Images(1, 2, 4, 4), Key.FromSeed(1));
        var y = model.Predict(x).ToArray();
        Assert.Equal(x.ToArray()[..16], y[(5 * 16)..]);          // branch 3 copies channel 0 to the last channel
    }

    public static TheoryData<string> Networks => ["combinators", "upsampling", "sequence"];

    private static (Layer Net, Shape Input) Network(string name) => name switch
    {
        "combinators" => (Conv(3, 3, padding: 1)
            .Then(Residual(Conv(3, 3, padding: 1).Then(BatchNorm).Then(Tanh), after: Tanh))
            .Then(Concat(Pointwise(2), Channels(2, 0).Then(ChannelAffine), DepthwiseConv(3, padding: 1)))
            .Then(AvgPool(2)).Then(LocallyConnected(2, 2)).Then(Flatten).Then(Dense(3)).Then(Sigmoid), Shape.Image(2, 6, 6)),
        "upsampling" => (Conv(2, 3, stride: 2, padding: 1, paddingMode: PaddingMode.Reflect).Then(LeakyReLU(0.1f))
            .Then(ConvTranspose(2, 3, stride: 2, padding: 1, outputPadding: 1)).Then(Dropout(0.3f))
            .Then(AdaptiveAvgPool(2, 3)).Then(Flatten).Then(Dense(3)).Then(LogSoftmax), Shape.Image(2, 6, 6)),
        _ => (Conv(3, 3, dilation: 2).Then(BatchNorm).Then(Tanh).Then(MaxPool(2, ceil: true)).Then(SeparableConv(4, 3, padding: Padding.Same))
            .Then(GlobalAvgPool).Then(Flatten).Then(Dense(3)).Then(Softmax), Shape.Sequence(2, 12)),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Gradients_through_every_layer_match_central_differences_in_double(string name)
    {
        var (net, input) = Network(name);
        var model = net.Init(input, seed: 8).WithContext(DoubleBackend.Context);
        var leaves = model.Parameters.ToArray();
        var flat = leaves.SelectMany(l => l.Value.ToArray().Select(v => (double)v + 0.01 * Math.Sin(v * 1000))).ToArray();
        var x = DoubleBackend.Tensor(input.WithBatch(3), FiniteDifferences.Random(3 * input.Count, 12));
        var target = DoubleBackend.Tensor(Shape.Of(3, 3), FiniteDifferences.Random(9, 13));

        Model With(double[] values) => DoubleBackend.WithFlatParameters(model, values);

        var step = With(flat).LossAndGradients(Loss.Mse, x, target, Key.FromSeed(0));
        Assert.Equal(model.Parameters.Paths, step.Gradients.Paths);
        var analytic = step.Gradients.SelectMany(g => DoubleBackend.Values(g.Value)).ToArray();
        var numeric = FiniteDifferences.Gradient(v => Mse(DoubleBackend.Values(With(v).Forward(x, Key.FromSeed(0)).Output), DoubleBackend.Values(target)), flat);
        FiniteDifferences.AssertClose("network gradient", analytic, numeric, rtol: 1e-5, atol: 1e-8);

        // The input gradient too, through the same pullback.
        var forward = With(flat).Forward(x, Key.FromSeed(0));
        var dy = DoubleBackend.Tensor(forward.Output.Shape, FiniteDifferences.Random(9, 14));
        var dx = DoubleBackend.Values(forward.Pullback(dy).Input);
        var xs = DoubleBackend.Values(x);
        var numericX = FiniteDifferences.Gradient(v => FiniteDifferences.Dot(
            DoubleBackend.Values(With(flat).Forward(DoubleBackend.Tensor(x.Shape, v), Key.FromSeed(0)).Output), DoubleBackend.Values(dy)), xs);
        FiniteDifferences.AssertClose("input gradient", dx, numericX, rtol: 1e-5, atol: 1e-8);
    }

    private static double Mse(double[] y, double[] t) => y.Zip(t, (a, b) => (a - b) * (a - b)).Sum() / y.Length;
}
