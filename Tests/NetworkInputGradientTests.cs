using Functional.Backends;
using Functional.Dsl.Zoo;
using Functional.Network;
using Functional.Random;
using Functional.Tests.Support;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// A training step computes no gradient for its data: the first layer with parameters computes only theirs, and the
/// parameterless layers before it are not differentiated. The seam calls are counted to show the work is really
/// skipped, the parameter gradients must equal the public forward's bit for bit, and that forward's pullback must
/// still return the input gradient.
/// </summary>
public class NetworkInputGradientTests
{
    private const string BackwardData = nameof(IBackend.ConvBackwardData);

    // (entry, calls in a training step, calls in the public forward + pullback); forward calls count in both.
    private sealed record Calls(string Entry, int Step, int Full);

    private static void Check(Layer net, Shape input, params Calls[] expected)
    {
        var counting = new CountingBackend(ExecutionContext.Cpu(2).Backend);
        var model = net.Init(input, seed: 3, new ExecutionContext(counting));
        var x = Tensor.Uniform(input.WithBatch(4), Key.FromSeed(4), -1f, 1f);
        int[] labels = [0, 2, 1, 2];

        var step = model.LossAndGradients(Loss.CrossEntropy, x, labels, Key.FromSeed(5));
        var stepCalls = expected.Select(e => counting.Calls(e.Entry)).ToArray();
        counting.Reset();
        var forward = model.Forward(x, Key.FromSeed(5));
        var loss = Loss.CrossEntropy.Compute(model.Context, forward.Output, labels);
        var back = forward.Pullback(loss.Gradient);

        Assert.Equal(loss.Value, step.Loss);
        Assert.Equal(model.Parameters.Paths, step.Gradients.Paths);
        foreach (var leaf in step.Gradients) Assert.Equal(back.Gradients[leaf.Path].ToArray(), leaf.Value.ToArray());
        Assert.True(back.HasInput);
        Assert.Equal(x.Shape, back.Input.Shape);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Step == stepCalls[i], $"{expected[i].Entry} in a training step: {stepCalls[i]} calls, expected {expected[i].Step}");
            Assert.True(expected[i].Full == counting.Calls(expected[i].Entry),
                $"{expected[i].Entry} in forward + pullback: {counting.Calls(expected[i].Entry)} calls, expected {expected[i].Full}");
        }
    }

    [Fact]
    public void LeNet5_skips_the_backward_data_conv_of_C1_only() =>
        Check(LeNet.Modern(), Shape.Image(1, 28, 28), new Calls(BackwardData, 1, 2));

    [Fact]
    public void Classic_LeNet5_still_differentiates_the_inputs_of_its_C3_branches() =>
        // C1 is skipped; each of the 16 C3 branches (channel select, conv) and C5 still owe their input gradient.
        Check(LeNet.Classic(), Shape.Image(1, 32, 32), new Calls(BackwardData, 17, 18));

    [Fact]
    public void A_leading_ResNet_block_skips_both_branches_first_convs_but_not_its_second() =>
        Check(Sequential(ResNet.BasicBlock(8, stride: 2), GlobalAvgPool, Flatten, Dense(3)), Shape.Image(4, 8, 8),
            new Calls(BackwardData, 1, 3));

    [Fact]
    public void A_MobileNet_style_stem_skips_only_its_first_conv() =>
        Check(Sequential(Conv(8, 3, stride: 2, padding: 1, bias: false), BatchNorm, ReLU,
                DepthwiseConv(3, padding: 1, bias: false), BatchNorm, ReLU, Pointwise(16, bias: false), BatchNorm, ReLU,
                GlobalAvgPool, Flatten, Dense(3)), Shape.Image(3, 16, 16),
            new Calls(BackwardData, 2, 3));

    [Fact]
    public void Parameterless_leading_layers_are_not_differentiated() =>
        // MaxPool and ReLU before the conv: neither backward runs, nor the conv's backward-data; the later ReLU's does.
        Check(Sequential(MaxPool(2), ReLU, Conv(4, 3), ReLU, Flatten, Dense(3)), Shape.Image(2, 12, 12),
            new Calls(nameof(IBackend.PoolBackward), 0, 1), new Calls(nameof(IBackend.UnaryBackward), 1, 2), new Calls(BackwardData, 0, 1));

    [Fact]
    public void A_leading_flatten_and_dense_skip_the_input_gradient_GEMM() =>
        // Three dense layers: 3 forward GEMMs, 3 weight-gradient GEMMs, and input gradients for the last two only.
        Check(Small.MlpCifar(), Shape.Image(3, 8, 8), new Calls(nameof(IBackend.Gemm), 8, 9));

    [Fact]
    public void Leading_concat_branches_skip_their_input_gradients_and_their_sum() =>
        Check(Sequential(Concat(Conv(2, 1), Conv(1, 3, padding: Padding.Same)), ReLU, Flatten, Dense(3)), Shape.Image(2, 5, 5),
            new Calls(BackwardData, 0, 2));

    [Fact]
    public void A_leading_residual_without_parameters_in_its_branches_differentiates_only_the_layer_after_its_sum() =>
        // Residual(ReLU) with a conv after the sum: the conv computes its weight gradient only, and the ReLU branch is
        // not differentiated; the forward's pullback runs both and adds the identity shortcut's gradient.
        Check(Sequential(Residual(ReLU, after: Conv(3, 3, padding: Padding.Same)), Tanh, Flatten, Dense(3)), Shape.Image(2, 5, 5),
            new Calls(BackwardData, 0, 1), new Calls(nameof(IBackend.UnaryBackward), 1, 2));

    [Fact]
    public void A_leading_transposed_conv_skips_its_input_gradient_conv() =>
        // A transposed conv's input gradient is the underlying conv's forward: none in the step, one in the pullback.
        Check(Sequential(ConvTranspose(2, 2, stride: 2), ReLU, Flatten, Dense(3)), Shape.Image(2, 3, 3),
            new Calls(nameof(IBackend.ConvForward), 0, 1), new Calls(BackwardData, 1, 1));

    [Fact]
    public void A_leading_locally_connected_layer_skips_its_unfold_adjoint() =>
        Check(Sequential(LocallyConnected(2, 3), ReLU, Flatten, Dense(3)), Shape.Image(2, 5, 5), new Calls(BackwardData, 0, 1));

    [Fact]
    public void A_leading_batch_norm_gives_the_same_parameter_gradients() =>
        Check(Sequential(BatchNorm, Conv(3, 3), ReLU, Flatten, Dense(3)), Shape.Image(2, 6, 6),
            new Calls(BackwardData, 1, 1), new Calls(nameof(IBackend.BatchNormBackward), 1, 1));

    [Fact]
    public void A_pullback_asked_for_no_input_gradient_says_so_when_it_is_read()
    {
        var net = Sequential(Conv(2, 3), ReLU, Flatten, Dense(3));
        var model = net.Init(Shape.Image(1, 5, 5), seed: 1);
        var x = Tensor.Uniform(Shape.Images(2, 1, 5, 5), Key.FromSeed(2), -1f, 1f);
        var pass = new Pass(model.Context, Training: true, Key.FromSeed(3)) { InputGradient = false };
        var output = net.Run(x, model.Parameters, model.State, pass, Site.Root);
        var back = output.Pullback(Tensor.Uniform(output.Output.Shape, Key.FromSeed(4), -1f, 1f));
        Assert.False(back.HasInput);
        Assert.Equal(model.Parameters.Paths, back.Gradients.Paths);
        var e = Assert.Throws<InvalidOperationException>(() => back.Input);
        Assert.Contains("InputGradient", e.Message, StringComparison.Ordinal);
    }
}
