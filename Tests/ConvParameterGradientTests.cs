using Functional.Ops;
using Functional.Random;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>The parameter-only conv backward (a first layer's) gives exactly the weight and bias gradients of the full backward.</summary>
public class ConvParameterGradientTests
{
    public static TheoryData<string, int[], ConvSpec> Cases => new()
    {
        { "LeNet C1", [3, 1, 12, 12], new ConvSpec(2, 6, [5], padding: 2) },
        { "strided, no bias", [2, 3, 9, 8], new ConvSpec(2, 4, [3], stride: [2], padding: 1, bias: false) },
        { "reflect padding, groups 2", [2, 4, 6, 6], new ConvSpec(2, 4, [3], padding: 1, groups: 2, paddingMode: PaddingMode.Reflect) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parameter_gradients_equal_the_full_backwards_on_both_backends(string name, int[] input, ConvSpec spec)
    {
        var plan = spec.Plan(Shape.Of(input));
        var x = Tensor.Uniform(plan.InputShape, Key.FromSeed(1), -1f, 1f);
        var w = Tensor.Uniform(plan.WeightShape, Key.FromSeed(2), -1f, 1f);
        var b = spec.Bias ? Tensor.Uniform(Shape.Of(spec.OutChannels), Key.FromSeed(3), -1f, 1f) : null;
        var dy = Tensor.Uniform(plan.OutputShape, Key.FromSeed(4), -1f, 1f);
        foreach (var ctx in new[] { ExecutionContext.Reference, ExecutionContext.Cpu(2) })
        {
            var full = Conv.Backward(ctx, spec, x, w, b, dy);
            var only = Conv.ParameterGradients(ctx, spec, x, w, b, dy);
            Assert.True(full.Weight.ToArray().SequenceEqual(only.Weight.ToArray()), $"{name} on {ctx}: weight gradients differ");
            Assert.Equal(full.Bias?.ToArray(), only.Bias?.ToArray());
        }
    }

    [Fact]
    public void A_wrong_upstream_gradient_is_rejected_with_the_shapes()
    {
        var spec = new ConvSpec(2, 6, [5], padding: 2);
        var x = Tensor.Zeros(Shape.Of(2, 1, 8, 8));
        var e = Assert.Throws<ShapeException>(() =>
            Conv.ParameterGradients(ExecutionContext.Reference, spec, x, Tensor.Zeros(Shape.Of(6, 1, 5, 5)), Tensor.Zeros(Shape.Of(6)), Tensor.Zeros(Shape.Of(2, 6, 7, 7))));
        Assert.Contains("2×6×8×8", e.Message);
    }
}
