using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// For a linear op J, the backward pass is Jᵀ: ⟨J·v, w⟩ = ⟨v, Jᵀ·w⟩ for every v and w. Integer data make both
/// inner products exact, so the law is checked for equality; average pooling divides, so it runs in double.
/// </summary>
public class AdjointLaws
{
    private const string Law = "Adjoint";

    // 300 cases per op: a forward and a backward of small tensors each.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public void Conv_backward_data_is_the_adjoint_of_conv_for_every_padding_mode(ConvCase c)
    {
        var spec = c.Spec with { Bias = false };
        var (v, w, _) = Tensors.Of(c);
        var r = Sample.IntTensor(c.ExpectedOutput, c.Seed + 3);
        var jt = Conv.Backward(Sample.Float, spec, v, w, null, r).Input;
        Expect.Equal("⟨Jv, r⟩ vs ⟨v, Jᵀr⟩", Sample.Dot(Conv.Forward(Sample.Float, spec, v, w), r), Sample.Dot(v, jt));
    }

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public void Transposed_conv_backward_is_the_adjoint_of_its_forward(TransposedCase t)
    {
        var spec = t.Spec with { Bias = false };
        var v = Sample.IntTensor(t.InputShape, t.Conv.Seed);
        var w = Sample.IntTensor(t.WeightShape, t.Conv.Seed + 1);
        var r = Sample.IntTensor(t.ExpectedOutput, t.Conv.Seed + 3);
        var jt = ConvTranspose.Backward(Sample.Float, spec, v, w, null, r).Input;
        Expect.Equal("⟨Jv, r⟩ vs ⟨v, Jᵀr⟩", Sample.Dot(ConvTranspose.Forward(Sample.Float, spec, v, w), r), Sample.Dot(v, jt));
    }

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public void Transposed_conv_forward_is_conv_backward_data_and_its_backward_data_is_conv_forward(TransposedCase t)
    {
        var c = t.Conv;
        var conv = c.Spec with { Bias = false };
        var transposed = t.Spec with { Bias = false };
        var (x, w, _) = Tensors.Of(c);
        var dy = Sample.IntTensor(c.ExpectedOutput, c.Seed + 3);
        Expect.Close("ConvTranspose(dy) vs Conv backward-data(dy)", ConvTranspose.Forward(Sample.Float, transposed, dy, w),
            Conv.Backward(Sample.Float, conv, x, w, null, dy).Input);
        Expect.Close("ConvTranspose backward-data(x) vs Conv(x)", ConvTranspose.Backward(Sample.Float, transposed, dy, w, null, x).Input,
            Conv.Forward(Sample.Float, conv, x, w));
    }

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Average_pool_backward_is_the_adjoint_of_its_forward_in_1_2_and_3_d() =>
        Prop.ForAll(PoolGen.Arb(PoolGen.Of(PoolKind.Average)), c =>
        {
            var v = Sample.RealTensor(c.InputShape, c.Seed);
            var r = Sample.RealTensor(c.ExpectedOutput, c.Seed + 1);
            var lhs = Sample.Dot(AvgPool.Forward(Sample.Double, v, c.Spec), r);
            Expect.Near("⟨Jv, r⟩ vs ⟨v, Jᵀr⟩", lhs, Sample.Dot(v, AvgPool.Backward(Sample.Double, c.InputShape, c.Spec, r)), 1e-12, 1e-12);
        });

    private static Arbitrary<(int N, int In, int Out, long Seed)> DenseCases =>
        (from n in Gen.Choose(1, 4) from i in Gen.Choose(1, 12) from o in Gen.Choose(1, 12) from s in Gen.Choose(0, int.MaxValue)
         select (n, i, o, (long)s)).ToArbitrary();

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Dense_backward_is_the_adjoint_of_its_forward_in_the_input_and_in_the_weights() =>
        Prop.ForAll(DenseCases, c =>
        {
            var x = Sample.IntTensor(Shape.Of(c.N, c.In), c.Seed);
            var w = Sample.IntTensor(Shape.Of(c.Out, c.In), c.Seed + 1);
            var r = Sample.IntTensor(Shape.Of(c.N, c.Out), c.Seed + 2);
            var y = Dense.Forward(Sample.Float, x, w);
            var g = Dense.Backward(Sample.Float, x, w, r, hasBias: false);
            Expect.Equal("input: ⟨Jx, r⟩ vs ⟨x, Jᵀr⟩", Sample.Dot(y, r), Sample.Dot(x, g.Input));
            Expect.Equal("weights: ⟨Jw, r⟩ vs ⟨w, Jᵀr⟩", Sample.Dot(y, r), Sample.Dot(w, g.Weight));
        });

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public void Flatten_and_concat_backward_are_the_adjoints_of_their_forward(ConvCase c)
    {
        var x = Sample.IntTensor(c.InputShape, c.Seed);
        var flat = Flatten.Forward(Sample.Float, x);
        var r = Sample.IntTensor(flat.Shape, c.Seed + 1);
        Expect.Equal("Flatten", Sample.Dot(flat, r), Sample.Dot(x, Flatten.Backward(Sample.Float, x.Shape, r)));

        // Concatenate x with a second tensor that differs only along a generated axis.
        var axis = (int)(c.Seed % c.InputShape.Rank);
        var other = Sample.IntTensor(c.InputShape.With(axis, 1 + (int)(c.Seed % 3)), c.Seed + 2);
        var y = Concat.Forward(Sample.Float, [x, other], axis);
        var ry = Sample.IntTensor(y.Shape, c.Seed + 3);
        var g = Concat.Backward(Sample.Float, [x.Shape, other.Shape], ry, axis);
        Expect.Equal($"Concat along dim {axis}", Sample.Dot(y, ry), Sample.Dot(x, g.Inputs[0]) + Sample.Dot(other, g.Inputs[1]));
    }
}
