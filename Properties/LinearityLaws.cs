using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// A conv without bias is linear in its input and, separately, in its weights, for every padding mode (each mode
/// copies input elements, so it is linear too). Integer data and integer coefficients keep both sides exact.
/// </summary>
public class LinearityLaws
{
    private const string Law = "Linearity";

    // The coefficients ride along in the case's seed, so the case keeps its own valid-only shrinking.
    private static Arbitrary<ConvCase> Cases => ConvGen.Arb(ConvGen.Any);

    private static (ConvCase Case, int A, int B) WithCoefficients(ConvCase c) => (c, (int)(c.Seed % 7) - 3, (int)(c.Seed / 7 % 7) - 3);

    // 300 cases: three forward convs each.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Conv_of_a_x_plus_b_y_is_a_conv_x_plus_b_conv_y() =>
        Prop.ForAll(Cases, t =>
        {
            var (c, a, b) = WithCoefficients(t);
            var spec = c.Spec with { Bias = false };
            var (x, w, _) = Tensors.Of(c);
            var y = Sample.IntTensor(c.InputShape, c.Seed + 5);
            Expect.Close("conv(a·x + b·y) vs a·conv(x) + b·conv(y)", Conv.Forward(Sample.Float, spec, Combine(a, x, b, y), w),
                Combine(a, Conv.Forward(Sample.Float, spec, x, w), b, Conv.Forward(Sample.Float, spec, y, w)));
        });

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Conv_is_linear_in_its_weights() =>
        Prop.ForAll(Cases, t =>
        {
            var (c, a, b) = WithCoefficients(t);
            var spec = c.Spec with { Bias = false };
            var (x, w, _) = Tensors.Of(c);
            var v = Sample.IntTensor(c.WeightShape, c.Seed + 5);
            Expect.Close("conv(x; a·w + b·v) vs a·conv(x; w) + b·conv(x; v)", Conv.Forward(Sample.Float, spec, x, Combine(a, w, b, v)),
                Combine(a, Conv.Forward(Sample.Float, spec, x, w), b, Conv.Forward(Sample.Float, spec, x, v)));
        });

    private static Tensor Combine(int a, Tensor x, int b, Tensor y)
    {
        ReadOnlySpan<float> xs = x.Span, ys = y.Span;
        var r = new float[xs.Length];
        for (var i = 0; i < r.Length; i++) r[i] = a * xs[i] + b * ys[i];
        return Tensor.FromArray(x.Shape, r);
    }
}
