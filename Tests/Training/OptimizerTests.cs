using Functional.Network;
using Functional.Training;
using Xunit;

namespace Functional.Tests.Training;

public class OptimizerTests
{
    // tools/torch_optim_cases.py: three steps of torch.optim on these parameters and gradients.
    private static readonly float[] Start = [1.0f, -2.0f, 0.5f, 3.0f];
    private static readonly float[][] Grads = [[0.1f, -0.2f, 0.3f, -0.4f], [-0.5f, 0.25f, 0.0f, 1.0f], [0.2f, 0.2f, -0.1f, 0.05f]];

    public static TheoryData<string, float[]> TorchCases => new()
    {
        { "sgd", [1.01999998f, -2.0250001f, 0.479999989f, 2.93499994f] },
        { "sgd_momentum", [1.03507793f, -1.99596667f, 0.425144672f, 2.91689706f] },
        { "sgd_nesterov", [1.05499732f, -2.02101541f, 0.412121207f, 2.83290434f] },
        { "adam", [0.992478907f, -1.97990978f, 0.477393985f, 2.99628067f] },
        { "adamw", [0.994972587f, -1.99010468f, 0.478936285f, 2.99286032f] },
    };

    private static Optimizer Make(string name) => name switch
    {
        "sgd" => Optimizer.Sgd(0.1),
        "sgd_momentum" => Optimizer.Sgd(0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        "sgd_nesterov" => Optimizer.Sgd(0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true),
        "adam" => Optimizer.Adam(0.01, weightDecay: 0.1),
        "adamw" => Optimizer.AdamW(0.01, weightDecay: 0.1),
        _ => throw new ArgumentException(name),
    };

    private static TensorTree Tree(float[] values) => TensorTree.Of(("0.weight", Tensor.FromArray(Shape.Of(2, 2), values)));

    [Theory]
    [MemberData(nameof(TorchCases))]
    public void Three_steps_agree_with_torch_optim_to_float_rounding(string name, float[] expected)
    {
        var optimizer = Make(name);
        var parameters = Tree(Start);
        var state = optimizer.Init(parameters);
        foreach (var g in Grads) (parameters, state) = optimizer.Step(parameters, Tree(g), state);
        var actual = parameters["0.weight"].ToArray();
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[i])), $"{name}[{i}]: {actual[i]:R} vs torch {expected[i]:R}");
        Assert.Equal(3, state.Step);
    }

    [Fact]
    public void Hand_computed_first_steps()
    {
        // SGD: 1 − 0.1·0.5 = 0.95. With momentum the first buffer is the gradient itself, so step one is the same.
        Assert.Equal(0.95f, OneStep(Optimizer.Sgd(0.1), 1f, 0.5f), 6);
        Assert.Equal(0.95f, OneStep(Optimizer.Sgd(0.1, momentum: 0.9), 1f, 0.5f), 6);
        // Weight decay adds wd·p to the gradient: 1 − 0.1·(0.5 + 0.1·1) = 0.94.
        Assert.Equal(0.94f, OneStep(Optimizer.Sgd(0.1, weightDecay: 0.1), 1f, 0.5f), 6);
        // Adam's first step moves by lr·m̂/(√v̂ + ε) = lr·g/(|g| + ε) ≈ lr in the gradient's sign.
        Assert.Equal(0.99f, OneStep(Optimizer.Adam(0.01), 1f, 0.5f), 6);
        Assert.Equal(1.01f, OneStep(Optimizer.Adam(0.01), 1f, -3f), 6);
        // AdamW shrinks first: 1·(1 − 0.01·0.5) − 0.01 = 0.985.
        Assert.Equal(0.985f, OneStep(Optimizer.AdamW(0.01, weightDecay: 0.5), 1f, 0.5f), 6);
    }

    private static float OneStep(Optimizer o, float p, float g)
    {
        var tree = TensorTree.Of(("w", Tensor.FromArray(Shape.Of(1), [p])));
        return o.Step(tree, TensorTree.Of(("w", Tensor.FromArray(Shape.Of(1), [g]))), o.Init(tree)).Parameters["w"].Span[0];
    }

    [Fact]
    public void A_step_leaves_the_old_parameters_and_state_untouched_and_follows_the_schedule()
    {
        var optimizer = Optimizer.Adam(Schedule.StepDecay(0.1, every: 1, gamma: 0.5));
        var parameters = Tree(Start);
        var s0 = optimizer.Init(parameters);
        var (p1, s1) = optimizer.Step(parameters, Tree(Grads[0]), s0);
        var (_, s2) = optimizer.Step(p1, Tree(Grads[1]), s1);
        Assert.Equal(Start, parameters["0.weight"].ToArray());
        Assert.All(s0.Slots.Values, t => Assert.All(t["0.weight"].ToArray(), v => Assert.Equal(0f, v)));
        Assert.Equal(0, s0.Step);
        Assert.Equal([Adam.FirstMomentSlot, Adam.SecondMomentSlot], s2.Slots.Keys);
        Assert.Equal(0.1, optimizer.LearningRate(s0));
        Assert.Equal(0.025, optimizer.LearningRate(s2));
        // Adam's first step moves each weight by about the learning rate: 0.1 at step 0.
        Assert.Equal(Start[0] - 0.1f, p1["0.weight"].Span[0], 4);
    }

    [Fact]
    public void Mismatched_trees_and_bad_hyper_parameters_are_rejected_by_name()
    {
        var o = Optimizer.Sgd(0.1, momentum: 0.9);
        var p = Tree(Start);
        var wrong = TensorTree.Of(("0.bias", Tensor.Zeros(Shape.Of(2, 2))));
        Assert.Contains("0.weight", Assert.Throws<ArgumentException>(() => o.Step(p, wrong, o.Init(p))).Message);
        Assert.Contains("momentum_buffer", Assert.Throws<ArgumentException>(() => o.Step(p, Tree(Grads[0]), o.Init(wrong))).Message);
        Assert.Contains("Nesterov", Assert.Throws<ArgumentException>(() => Optimizer.Sgd(0.1, nesterov: true)).Message);
        Assert.Contains("beta1", Assert.Throws<ArgumentException>(() => Optimizer.Adam(beta1: 1.0)).Message);
        Assert.Empty(Optimizer.Sgd(0.1).Init(p).Slots);
    }

    [Fact]
    public void Clipping_scales_to_the_global_norm_and_leaves_small_gradients_alone()
    {
        // Global norm of (3, 4) and (12) is 13; clipped to 6.5 every element halves (up to the 1e-6 guard).
        var g = TensorTree.Of(("a", Tensor.FromArray(Shape.Of(2), [3f, 4f])), ("b", Tensor.FromArray(Shape.Of(1), [12f])));
        Assert.Equal(13, GradientClipping.GlobalNorm(g), 9);
        var (clipped, norm) = GradientClipping.ClipByNorm(g, 6.5);
        Assert.Equal(13, norm, 9);
        Assert.Equal(1.5f, clipped["a"].Span[0], 5);
        Assert.Equal(2f, clipped["a"].Span[1], 5);
        Assert.Equal(6f, clipped["b"].Span[0], 5);
        Assert.Equal(6.5, GradientClipping.GlobalNorm(clipped), 5);
        Assert.Same(g, GradientClipping.ClipByNorm(g, 20).Gradients);
        Assert.Equal([3f, 4f], g["a"].ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByNorm(g, 0));
    }
}
