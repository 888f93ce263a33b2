using Functional.Backends;
using Functional.Network;
using Activation = Functional.Ops.Activation;
using Functional.Random;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// NaN is never hidden, as in PyTorch: ReLU, the fused batch norm + ReLU and max pooling pass a NaN on, and ReLU's
/// backward is PyTorch's threshold_backward. The expected values below are what torch 1.13 prints.
/// </summary>
public class NaNPropagationTests
{
    public static TheoryData<string> Backends => ["reference", "cpu"];

    private static ExecutionContext Context(string name) => name == "cpu" ? ExecutionContext.Cpu(2) : ExecutionContext.Reference;

    // 19 elements: two full 8-lane vectors and a scalar tail, so both code paths of the Cpu kernels see each value.
    private static float[] Repeat(float[] pattern) => Enumerable.Range(0, 19).Select(i => pattern[i % pattern.Length]).ToArray();

    [Theory]
    [MemberData(nameof(Backends))]
    public void ReLU_passes_NaN_and_minus_zero_like_torch_relu(string backend)
    {
        // torch.relu([nan, -0., 0., -1., 2.]) = [nan, -0., 0., 0., 2.]
        var x = Repeat([float.NaN, -0f, 0f, -1f, 2f]);
        var y = Activation.ReLU.Forward(Context(backend), Tensor.FromArray(Shape.Of(x.Length), x)).ToArray();
        var expected = Repeat([float.NaN, -0f, 0f, 0f, 2f]);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), y.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void ReLU_backward_selects_like_torch_threshold_backward(string backend)
    {
        // x = [nan, -0., 0., -1., 2.], grad = [5, inf, nan, inf, 7] → x.grad = [5, 0, 0, 0, 7]: a NaN input passes its
        // gradient (NaN ≤ 0 is false) and a stopped gradient is 0 even when dy is not finite.
        var ctx = Context(backend);
        var x = Tensor.FromArray(Shape.Of(19), Repeat([float.NaN, -0f, 0f, -1f, 2f]));
        var dy = Tensor.FromArray(Shape.Of(19), Repeat([5f, float.PositiveInfinity, float.NaN, float.PositiveInfinity, 7f]));
        var dx = Activation.ReLU.Backward(ctx, x, Activation.ReLU.Forward(ctx, x), dy).ToArray();
        Assert.Equal(Repeat([5f, 0f, 0f, 0f, 7f]), dx);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Fused_batch_norm_and_relu_pass_NaN_forward_and_its_gradient_backward(string backend)
    {
        var b = Context(backend).Backend;
        var g = new AxisGeometry(2, 1, 19);
        var xs = Enumerable.Range(0, 38).Select(i => i % 5 - 2f).ToArray();
        xs[3] = float.NaN;
        xs[27] = float.NaN;
        TensorStorage Store(float[] v) => Tensor.FromArray(Shape.Of(v.Length), v).Storage;
        var (x, mean, variance, gamma, beta) = (Store(xs), Store([0f]), Store([1f]), Store([2f]), Store([0f]));
        var y = b.Allocate(38);
        b.BatchNormReLUForward(g, 0f, x, mean, variance, gamma, beta, y);
        var ys = y.ToHost().ToArray();
        Assert.True(float.IsNaN(ys[3]) && float.IsNaN(ys[27]), $"y[3] = {ys[3]}, y[27] = {ys[27]}");
        Assert.Equal(36, ys.Count(float.IsFinite));

        var (dx, dgamma, dbeta) = (b.Allocate(38), b.Allocate(1), b.Allocate(1));
        b.BatchNormReLUBackward(g, 0f, false, x, mean, variance, gamma, y, Store(Enumerable.Repeat(1f, 38).ToArray()), dx, dgamma, dbeta);
        // dβ = Σ of the ReLU-masked dy: the mask passes where y > 0 and, as PyTorch's threshold_backward, where y is
        // NaN. Before, the two NaN positions were stopped and dβ was two short.
        var passed = xs.Count(v => v > 0 || float.IsNaN(v));
        Assert.Equal(passed, dbeta.ToHost().Span[0]);
        Assert.True(float.IsNaN(dgamma.ToHost().Span[0]), "dγ = Σ dy·x̂ reads the NaN");
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_NaN_sample_gives_NaN_logits_and_loss_instead_of_finite_ones(string backend)
    {
        // Before, ReLU mapped the NaN to 0: the logits and the loss were finite and only the weight gradients were
        // NaN, with no exception. Now the logits show it, and the loss's own check names the sample.
        var model = Conv(2, 3, padding: 1).Then(ReLU).Then(Flatten).Then(Dense(3)).Init(Shape.Image(1, 4, 4), seed: 7, Context(backend));
        var values = Enumerable.Range(0, 32).Select(i => (i % 7 - 3) / 3f).ToArray();
        values[5] = float.NaN;
        var x = Tensor.FromArray(Shape.Images(2, 1, 4, 4), values);
        var logits = model.Predict(x).ToArray();
        Assert.All(logits[..3], v => Assert.True(float.IsNaN(v), $"sample 0's logits {string.Join(", ", logits[..3])}"));
        Assert.All(logits[3..], v => Assert.True(float.IsFinite(v), $"sample 1's logits {string.Join(", ", logits[3..])}"));
        var e = Assert.Throws<Functional.Ops.NonFiniteLossException>(() => model.LossAndGradients(Loss.CrossEntropy, x, [0, 1], Key.FromSeed(0)));
        Assert.Contains("sample 0", e.Message);
    }
}
