using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Ops;
using Functional.Tests.Support;
using Xunit;
using static Functional.Tests.Support.GradCheck;

namespace Functional.Tests.Ops;

public class BatchNormTests
{
    private static readonly ExecutionContext Ctx = ExecutionContext.Reference;
    private static readonly ExecutionContext Dbl = DoubleBackend.Context;

    [Fact]
    public void Training_uses_the_biased_batch_variance_and_updates_running_stats_with_the_unbiased_one()
    {
        var x = Tensor.FromArray(Shape.Of(4, 1), [1f, 2f, 3f, 4f]);
        var r = BatchNorm.Forward(Ctx, x, Tensor.Ones(Shape.Of(1)), Tensor.Zeros(Shape.Of(1)), BatchNormState.Initial(1), training: true);
        var std = MathF.Sqrt(1.25f + 1e-5f);
        Assert.Equal(new[] { -1.5f / std, -0.5f / std, 0.5f / std, 1.5f / std }, r.Output.ToArray(), new FloatTolerance(1e-6f));
        Assert.Equal(0.25f, r.State.RunningMean.ToArray()[0], 6);
        Assert.Equal(0.9f + 0.1f * 5f / 3f, r.State.RunningVar.ToArray()[0], 6);
    }

    [Fact]
    public void Inference_normalises_with_the_running_statistics()
    {
        var x = Tensor.FromArray(Shape.Of(2, 2), [1f, 2f, 3f, 4f]);
        var state = new BatchNormState(Tensor.FromArray(Shape.Of(2), [1f, 2f]), Tensor.FromArray(Shape.Of(2), [4f, 9f]));
        var gamma = Tensor.FromArray(Shape.Of(2), [2f, 1f]);
        var beta = Tensor.FromArray(Shape.Of(2), [0f, 1f]);
        var r = BatchNorm.Forward(Ctx, x, gamma, beta, state, training: false, eps: 0f);
        Assert.Equal([0f, 1f, 2f * 2f / 2f, 2f / 3f + 1f], r.Output.ToArray(), new FloatTolerance(1e-6f));
        Assert.Same(state, r.State);
    }

    public static TheoryData<int[], bool> Cases => new()
    {
        { [5, 3], true }, { [3, 2, 4], true }, { [2, 3, 3, 2], true },
        { [5, 3], false }, { [2, 3, 3, 2], false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_match_central_differences_in_both_modes(int[] dims, bool training)
    {
        var xs = Shape.Of(dims); var cs = Shape.Of(dims[1]);
        var x = FiniteDifferences.Random(xs.Count, 41);
        var gamma = FiniteDifferences.Random(cs.Count, 42, margin: 0.3);
        var beta = FiniteDifferences.Random(cs.Count, 43);
        var state = new BatchNormState(T(cs, FiniteDifferences.Random(cs.Count, 44)), T(cs, Enumerable.Repeat(0.7, cs.Count).ToArray()));
        double[] Y(double[] xv, double[] gv, double[] bv) => V(BatchNorm.Forward(Dbl, T(xs, xv), T(cs, gv), T(cs, bv), state, training).Output);
        BatchNormGradients G(double[] r) =>
            BatchNorm.Backward(Dbl, BatchNorm.Forward(Dbl, T(xs, x), T(cs, gamma), T(cs, beta), state, training), T(cs, gamma), T(xs, r));
        Check("batch norm dx", x, v => Y(v, gamma, beta), r => V(G(r).Input));
        Check("batch norm dγ", gamma, v => Y(x, v, beta), r => V(G(r).Gamma));
        Check("batch norm dβ", beta, v => Y(x, gamma, v), r => V(G(r).Beta));
    }

    [Fact]
    public void Mismatched_parameters_and_single_value_batches_are_rejected()
    {
        var x = Tensor.Zeros(Shape.Images(2, 3, 4, 4));
        var e = Assert.Throws<ShapeException>(() =>
            BatchNorm.Forward(Ctx, x, Tensor.Ones(Shape.Of(4)), Tensor.Zeros(Shape.Of(3)), BatchNormState.Initial(3), true, layer: "bn1"));
        Assert.Contains("BatchNorm2d 'bn1': gamma has shape 4 but the input 2×3×4×4 has 3 channels", e.Message);
        var one = Assert.Throws<ShapeException>(() =>
            BatchNorm.Forward(Ctx, Tensor.Zeros(Shape.Of(1, 3)), Tensor.Ones(Shape.Of(3)), Tensor.Zeros(Shape.Of(3)), BatchNormState.Initial(3), true));
        Assert.Contains("1 value per channel", one.Message);
    }
}

/// <summary>Element-wise float comparison within an absolute tolerance.</summary>
internal sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
{
    public bool Equals(float a, float b) => MathF.Abs(a - b) <= tolerance;
    public int GetHashCode(float v) => 0;
}
