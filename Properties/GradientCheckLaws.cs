using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// Every backward pass agrees with central differences of f = ⟨op(…), r⟩ for a fixed random r, run end to end in
/// double precision through the same Reference kernels. Tolerance: conv, transposed conv and average pooling are
/// linear in each argument (and max pooling is piecewise linear, with its inputs at least 0.01 apart so that
/// ε = 1e-6 never changes an argmax), so central differences carry no truncation error; what remains is rounding,
/// at most about u·Σ|terms|/ε ≈ 1e-16·100/1e-6 = 1e-8. The bound 1e-6·|g| + 1e-7 sits above that and far below
/// any real mistake (a wrong tap or a dropped term changes an entry by the size of an input, ~0.1 or more).
/// </summary>
public class GradientCheckLaws
{
    private const string Law = "GradientCheck";
    private const double Rtol = 1e-6, Atol = 1e-7;

    // 100 cases: each finite-difference check runs two forward passes per input, weight and bias element.
    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public void Conv_gradients_match_central_differences_for_every_padding_mode(ConvCase c)
    {
        var x = Sample.Reals(c.InputShape.Count, c.Seed);
        var w = Sample.Reals(c.WeightShape.Count, c.Seed + 1);
        var b = c.Bias ? Sample.Reals(c.OutChannels, c.Seed + 2) : null;
        var r = Sample.Reals(c.ExpectedOutput.Count, c.Seed + 3);
        Tensor Run(double[] xv, double[] wv, double[]? bv) => Conv.Forward(Sample.Double, c.Spec, T(c.InputShape, xv), T(c.WeightShape, wv),
            bv is null ? null : T(Shape.Of(c.OutChannels), bv));
        var g = Conv.Backward(Sample.Double, c.Spec, T(c.InputShape, x), T(c.WeightShape, w), b is null ? null : T(Shape.Of(c.OutChannels), b),
            T(c.ExpectedOutput, r));
        Compare("dx", g.Input, x, v => Run(v, w, b), r);
        Compare("dw", g.Weight, w, v => Run(x, v, b), r);
        if (b is not null) Compare("db", g.Bias!, b, v => Run(x, w, v), r);
    }

    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public void Transposed_conv_gradients_match_central_differences(TransposedCase t)
    {
        var (shape, wShape, bShape) = (t.InputShape, t.WeightShape, Shape.Of(t.Conv.InChannels));
        var x = Sample.Reals(shape.Count, t.Conv.Seed);
        var w = Sample.Reals(wShape.Count, t.Conv.Seed + 1);
        var b = t.Conv.Bias ? Sample.Reals(bShape.Count, t.Conv.Seed + 2) : null;
        var r = Sample.Reals(t.ExpectedOutput.Count, t.Conv.Seed + 3);
        Tensor Run(double[] xv, double[] wv, double[]? bv) =>
            ConvTranspose.Forward(Sample.Double, t.Spec, T(shape, xv), T(wShape, wv), bv is null ? null : T(bShape, bv));
        var g = ConvTranspose.Backward(Sample.Double, t.Spec, T(shape, x), T(wShape, w), b is null ? null : T(bShape, b), T(t.ExpectedOutput, r));
        Compare("dx", g.Input, x, v => Run(v, w, b), r);
        Compare("dw", g.Weight, w, v => Run(x, v, b), r);
        if (b is not null) Compare("db", g.Bias!, b, v => Run(x, w, v), r);
    }

    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public Property Average_pool_gradient_matches_central_differences() =>
        Prop.ForAll(PoolGen.Arb(PoolGen.Of(PoolKind.Average)), c =>
        {
            var x = Sample.Reals(c.InputShape.Count, c.Seed);
            var r = Sample.Reals(c.ExpectedOutput.Count, c.Seed + 1);
            var dx = AvgPool.Backward(Sample.Double, c.InputShape, c.Spec, T(c.ExpectedOutput, r));
            Compare("dx", dx, x, v => AvgPool.Forward(Sample.Double, T(c.InputShape, v), c.Spec), r);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public Property Max_pool_gradient_matches_central_differences_away_from_ties() =>
        Prop.ForAll(PoolGen.Arb(PoolGen.Of(PoolKind.Max)), c =>
        {
            // Distinct values 0.01 apart, in a seeded order: no window has a tie that ε could flip.
            var order = Random.Key.FromSeed(c.Seed).Permutation(c.InputShape.Count);
            var x = order.Select(i => (i - order.Length / 2.0) * 0.01).ToArray();
            var r = Sample.Reals(c.ExpectedOutput.Count, c.Seed + 1);
            var forward = MaxPool.Forward(Sample.Double, T(c.InputShape, x), c.Spec);
            var dx = MaxPool.Backward(Sample.Double, forward, T(c.ExpectedOutput, r));
            Compare("dx", dx, x, v => MaxPool.Forward(Sample.Double, T(c.InputShape, v), c.Spec).Output, r);
        });

    private static Tensor T(Shape shape, double[] values) => DoubleBackend.Tensor(shape, values);

    // The analytic gradient of ⟨f(v), r⟩ against its central differences at v.
    private static void Compare(string what, Tensor analytic, double[] at, Func<double[], Tensor> f, double[] r)
    {
        var numeric = FiniteDifferences.Gradient(v => FiniteDifferences.Dot(Sample.Values(f(v)), r), (double[])at.Clone());
        Expect.Close($"{what} (analytic vs central differences)", Sample.Values(analytic), numeric, Rtol, Atol);
    }
}
