using Functional.Backends.Reference;
using Functional.Ops;
using Functional.Tests.Support;
using Xunit;
using static Functional.Tests.ConvTestKit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// Central differences in double through the generic kernels, for every input and parameter of each conv-family
/// op: f = ⟨op(x, w, b), r⟩ for a fixed random r, whose gradient is the op's backward applied to r.
/// </summary>
public class ConvGradientTests
{
    public static TheoryData<string, int[], ConvSpec> ConvCases => new()
    {
        { "1-d strided, dilated", [2, 2, 11], new ConvSpec(1, 3, [3], stride: [2], padding: 1, dilation: [2]) },
        { "2-d plain", [2, 3, 5, 5], new ConvSpec(2, 2, [3]) },
        { "2-d stride (2,3), padding (1,2)", [1, 2, 7, 8], new ConvSpec(2, 3, [3, 2], stride: [2, 3], padding: Padding.Of(1, 2)) },
        { "2-d dilation 2, groups 2", [1, 4, 7, 7], new ConvSpec(2, 6, [3], padding: 2, dilation: [2], groups: 2) },
        { "2-d depthwise", [2, 3, 5, 6], new ConvSpec(2, 3, [3], padding: 1, groups: 3, bias: false) },
        { "2-d same, stride 2, even kernel", [1, 2, 7, 6], new ConvSpec(2, 2, [4], stride: [2], padding: Padding.Same) },
        { "2-d full", [1, 1, 4, 4], new ConvSpec(2, 2, [3], padding: Padding.Full) },
        { "2-d reflect", [1, 2, 5, 5], new ConvSpec(2, 2, [3], padding: 2, paddingMode: PaddingMode.Reflect) },
        { "2-d replicate, stride 2", [1, 2, 6, 5], new ConvSpec(2, 2, [3], stride: [2], padding: Padding.Of(3, 1), paddingMode: PaddingMode.Replicate) },
        { "2-d circular same, groups 2", [2, 2, 5, 4], new ConvSpec(2, 4, [2, 3], padding: Padding.Same, groups: 2, paddingMode: PaddingMode.Circular) },
        { "3-d dilated, reflect", [1, 2, 4, 5, 4], new ConvSpec(3, 2, [2], stride: [1, 2, 1], padding: 1, dilation: [2, 1, 1], paddingMode: PaddingMode.Reflect) },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv_gradients_match_central_differences(string name, int[] input, ConvSpec spec)
    {
        var plan = spec.Plan(Shape.Of(input));
        var x = FiniteDifferences.Random(plan.InputShape.Count, 1);
        var w = FiniteDifferences.Random(plan.WeightShape.Count, 2);
        var b = spec.Bias ? FiniteDifferences.Random(spec.OutChannels, 3) : [];
        var r = FiniteDifferences.Random(plan.OutputShape.Count, 4);
        var (dx, dw, db) = ConvBackward(plan, x, w, spec.Bias, r);

        FiniteDifferences.AssertClose($"{name}: dx", dx, FiniteDifferences.Gradient(v => FiniteDifferences.Dot(ConvForward(plan, v, w, b), r), x));
        FiniteDifferences.AssertClose($"{name}: dw", dw, FiniteDifferences.Gradient(v => FiniteDifferences.Dot(ConvForward(plan, x, v, b), r), w));
        if (spec.Bias)
            FiniteDifferences.AssertClose($"{name}: db", db, FiniteDifferences.Gradient(v => FiniteDifferences.Dot(ConvForward(plan, x, w, v), r), b));
        AgreesWithFloatOp(plan, x, w, b, r, (dx, dw, db), spec);
    }

    public static TheoryData<string, int[], ConvTransposeSpec> TransposeCases => new()
    {
        { "1-d stride 3, output padding 2", [2, 2, 4], new ConvTransposeSpec(1, 3, [2], stride: [3], outputPadding: [2]) },
        { "2-d stride 2, padding 1, output padding 1", [1, 3, 3, 4], new ConvTransposeSpec(2, 2, [3], stride: [2], padding: 1, outputPadding: [1]) },
        { "2-d groups 2, dilation 2, output padding < dilation", [2, 4, 3, 3], new ConvTransposeSpec(2, 2, [2, 3], stride: [1, 2], dilation: [2], outputPadding: [1, 0], groups: 2) },
        { "2-d no bias", [1, 2, 2, 3], new ConvTransposeSpec(2, 3, [3, 2], stride: [3, 2], padding: Padding.Of(1, 0), bias: false) },
        { "3-d", [1, 2, 2, 3, 2], new ConvTransposeSpec(3, 2, [2], stride: [2, 1, 2], outputPadding: [1, 0, 0]) },
    };

    [Theory]
    [MemberData(nameof(TransposeCases))]
    public void Transposed_conv_gradients_match_central_differences(string name, int[] input, ConvTransposeSpec spec)
    {
        var plan = spec.Plan(Shape.Of(input));
        var x = FiniteDifferences.Random(plan.InputShape.Count, 5);
        var w = FiniteDifferences.Random(plan.WeightShape.Count, 6);
        var b = spec.Bias ? FiniteDifferences.Random(spec.OutChannels, 7) : [];
        var r = FiniteDifferences.Random(plan.OutputShape.Count, 8);
        var (dx, dw, db) = TransposeBackward(plan, x, w, spec.Bias, r);

        FiniteDifferences.AssertClose($"{name}: dx", dx, FiniteDifferences.Gradient(v => FiniteDifferences.Dot(TransposeForward(plan, v, w, b), r), x));
        FiniteDifferences.AssertClose($"{name}: dw", dw, FiniteDifferences.Gradient(v => FiniteDifferences.Dot(TransposeForward(plan, x, v, b), r), w));
        if (spec.Bias)
            FiniteDifferences.AssertClose($"{name}: db", db, FiniteDifferences.Gradient(v => FiniteDifferences.Dot(TransposeForward(plan, x, w, v), r), b));

        // The float op composes the same kernels: its outputs and gradients must agree with this double path.
        var ctx = ExecutionContext.Reference;
        var (xt, wt, bt, rt) = (ToTensor(plan.InputShape, x), ToTensor(plan.WeightShape, w), spec.Bias ? ToTensor(plan.BiasShape!, b) : null, ToTensor(plan.OutputShape, r));
        AssertNear($"{name}: y", TransposeForward(plan, x, w, b), ConvTranspose.Forward(ctx, spec, xt, wt, bt));
        var g = ConvTranspose.Backward(ctx, spec, xt, wt, bt, rt);
        AssertNear($"{name}: op dx", dx, g.Input);
        AssertNear($"{name}: op dw", dw, g.Weight);
        if (spec.Bias) AssertNear($"{name}: op db", db, g.Bias!);
    }

    [Theory]
    [InlineData(PaddingMode.Zeros)]
    [InlineData(PaddingMode.Reflect)]
    [InlineData(PaddingMode.Replicate)]
    [InlineData(PaddingMode.Circular)]
    public void Pad_backward_is_the_adjoint_of_pad(PaddingMode mode)
    {
        var g = Pad.Geometry(Shape.Of(2, 3, 4, 3), [2, 1], [1, 2], mode);
        var x = FiniteDifferences.Random(g.Planes * g.Input.Product, 9);
        var r = FiniteDifferences.Random(g.Planes * g.Output.Product, 10);
        var dx = new double[x.Length];
        PadKernels.Backward<double>(g, mode, r, dx);
        FiniteDifferences.AssertClose($"pad {mode}", dx, FiniteDifferences.Gradient(v =>
        {
            var y = new double[r.Length];
            PadKernels.Forward<double>(g, mode, v, y);
            return FiniteDifferences.Dot(y, r);
        }, x));
    }

    [Fact]
    public void True_convolution_gradients_are_the_conv_gradients_through_the_flipped_kernel()
    {
        var spec = new ConvSpec(2, 2, [3, 2], stride: [2, 1], padding: 1);
        var plan = spec.Plan(Shape.Of(1, 2, 5, 5));
        var ctx = ExecutionContext.Reference;
        var (x, w, b) = (Rand(plan.InputShape, 11), Rand(plan.WeightShape, 12), Rand(plan.BiasShape!, 13));
        var r = Rand(plan.OutputShape, 14);
        var g = TrueConvolution.Backward(ctx, spec, x, w, b, r);
        double F(Tensor wv) => FiniteDifferences.Dot(ToDouble(TrueConvolution.Forward(ctx, spec, x, wv, b)), ToDouble(r));
        // True convolution is linear in w, so float central differences with a large step are exact up to rounding.
        var numeric = FiniteDifferences.Gradient(v => F(ToTensor(plan.WeightShape, v)), ToDouble(w), eps: 0.5);
        FiniteDifferences.AssertClose("true conv dw", ToDouble(g.Weight), numeric, rtol: 1e-4, atol: 1e-4);
        Assert.True(g.Input.AllClose(Conv.Backward(ctx, spec, x, TrueConvolution.Flip(w, 2), b, r).Input));
    }

    [Fact]
    public void Transposed_conv_is_the_adjoint_of_the_conv_with_the_same_weights()
    {
        // ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩ when the transposed conv undoes the conv's geometry (output padding picks the size).
        var ctx = ExecutionContext.Reference;
        var conv = new ConvSpec(2, 4, [3, 2], stride: [2, 3], padding: Padding.Of(1, 0), dilation: [1, 2], groups: 2, bias: false);
        var transposed = new ConvTransposeSpec(2, 4, [3, 2], stride: [2, 3], padding: Padding.Of(1, 0), outputPadding: [1, 0], dilation: [1, 2], groups: 2, bias: false);
        var x = Rand(Shape.Of(2, 4, 8, 9), 15);
        var w = Rand(Shape.Of(4, 2, 3, 2), 16);
        var y = Conv.Forward(ctx, conv, x, w);
        var r = Rand(y.Shape, 17);
        var back = ConvTranspose.Forward(ctx, transposed, r, w);
        Assert.Equal(x.Shape, back.Shape);
        var lhs = FiniteDifferences.Dot(ToDouble(y), ToDouble(r));
        var rhs = FiniteDifferences.Dot(ToDouble(x), ToDouble(back));
        Assert.True(Math.Abs(lhs - rhs) <= 1e-4 * Math.Max(1, Math.Abs(lhs)), $"⟨conv(x), r⟩ = {lhs} but ⟨x, convᵀ(r)⟩ = {rhs}");
    }

    private static Tensor Rand(Shape s, long seed) => ToTensor(s, FiniteDifferences.Random(s.Count, seed));

    private static void AgreesWithFloatOp(ConvPlan plan, double[] x, double[] w, double[] b, double[] r, (double[] Dx, double[] Dw, double[] Db) grads, ConvSpec spec)
    {
        var ctx = ExecutionContext.Reference;
        var (xt, wt, bt, rt) = (ToTensor(plan.InputShape, x), ToTensor(plan.WeightShape, w), spec.Bias ? ToTensor(plan.BiasShape!, b) : null, ToTensor(plan.OutputShape, r));
        AssertNear("y", ConvForward(plan, x, w, b), Conv.Forward(ctx, spec, xt, wt, bt));
        var g = Conv.Backward(ctx, spec, xt, wt, bt, rt);
        AssertNear("op dx", grads.Dx, g.Input);
        AssertNear("op dw", grads.Dw, g.Weight);
        if (spec.Bias) AssertNear("op db", grads.Db, g.Bias!);
    }

    private static void AssertNear(string what, double[] expected, Tensor actual) =>
        FiniteDifferences.AssertClose(what, ToDouble(actual), expected, rtol: 1e-4, atol: 1e-4);
}
