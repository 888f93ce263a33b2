using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// Gradient checks of the non-convolution ops on generated shapes, in double: dense, batch norm in training mode,
/// the activations (inputs kept 0.05 away from ReLU's kink), softmax, log-softmax and both losses. These ops are
/// smooth where tested, so central differences with ε = 1e-6 carry truncation error ε²·|f‴|/6 ≈ 1e-12 and rounding
/// ≈ 1e-16·|f|/ε ≈ 1e-10; the bound 1e-5·|g| + 1e-7 sits above both, far below the error of a wrong term.
/// </summary>
public class OpGradientLaws
{
    private const string Law = "GradientCheck";
    private const double Rtol = 1e-5, Atol = 1e-7;

    /// <summary>N×C×L with at least four values per channel (so batch statistics are not degenerate).</summary>
    private static Arbitrary<(int N, int C, int L, long Seed)> Shapes =>
        (from n in Gen.Choose(1, 3) from c in Gen.Choose(1, 4) from l in Gen.Choose(1, 5) from s in Gen.Choose(0, int.MaxValue)
         where n * l >= 4
         select (n, c, l, (long)s)).ToArbitrary();

    // 100 cases each: every element costs two forward passes.
    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public Property Dense_gradients_match_central_differences() =>
        Prop.ForAll(Shapes, t =>
        {
            var (xs, ws, bs) = (Shape.Of(t.N, t.L), Shape.Of(t.C, t.L), Shape.Of(t.C));
            var (x, w, b) = (Sample.Reals(xs.Count, t.Seed), Sample.Reals(ws.Count, t.Seed + 1), Sample.Reals(bs.Count, t.Seed + 2));
            var r = Sample.Reals(t.N * t.C, t.Seed + 3);
            Tensor Run(double[] xv, double[] wv, double[] bv) => Dense.Forward(Sample.Double, T(xs, xv), T(ws, wv), T(bs, bv));
            var g = Dense.Backward(Sample.Double, T(xs, x), T(ws, w), T(Shape.Of(t.N, t.C), r));
            Compare("dx", g.Input, x, v => Run(v, w, b), r);
            Compare("dw", g.Weight, w, v => Run(x, v, b), r);
            Compare("db", g.Bias!, b, v => Run(x, w, v), r);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public Property Batch_norm_gradients_in_training_mode_match_central_differences() =>
        Prop.ForAll(Shapes, t =>
        {
            var (xs, cs) = (Shape.Of(t.N, t.C, t.L), Shape.Of(t.C));
            var (x, gamma, beta) = (Sample.Reals(xs.Count, t.Seed), Sample.Reals(t.C, t.Seed + 1), Sample.Reals(t.C, t.Seed + 2));
            var r = Sample.Reals(xs.Count, t.Seed + 3);
            var state = new BatchNormState(T(cs, new double[t.C]), T(cs, Enumerable.Repeat(1.0, t.C).ToArray()));
            BatchNormResult Run(double[] xv, double[] gv, double[] bv) => BatchNorm.Forward(Sample.Double, T(xs, xv), T(cs, gv), T(cs, bv), state, training: true);
            var g = BatchNorm.Backward(Sample.Double, Run(x, gamma, beta), T(cs, gamma), T(xs, r));
            Compare("dx", g.Input, x, v => Run(v, gamma, beta).Output, r);
            Compare("dγ", g.Gamma, gamma, v => Run(x, v, beta).Output, r);
            Compare("dβ", g.Beta, beta, v => Run(x, gamma, v).Output, r);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public Property Activation_softmax_and_log_softmax_gradients_match_central_differences() =>
        Prop.ForAll(Shapes, t =>
        {
            var xs = Shape.Of(t.N, t.C, t.L);
            var x = FiniteDifferences.Random(xs.Count, t.Seed, margin: 0.05);
            var r = Sample.Reals(xs.Count, t.Seed + 1);
            foreach (var a in new[] { Activation.ReLU, Activation.LeakyReLU(0.1f), Activation.Sigmoid, Activation.Tanh })
                Compare(a.Name, a.Backward(Sample.Double, T(xs, x), a.Forward(Sample.Double, T(xs, x)), T(xs, r)), x, v => a.Forward(Sample.Double, T(xs, v)), r);
            var dim = (int)(t.Seed % 3);
            Compare($"softmax along {dim}", Softmax.Backward(Sample.Double, Softmax.Forward(Sample.Double, T(xs, x), dim), T(xs, r), dim), x,
                v => Softmax.Forward(Sample.Double, T(xs, v), dim), r);
            Compare($"log-softmax along {dim}", LogSoftmax.Backward(Sample.Double, LogSoftmax.Forward(Sample.Double, T(xs, x), dim), T(xs, r), dim), x,
                v => LogSoftmax.Forward(Sample.Double, T(xs, v), dim), r);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", Law)]
    public Property Cross_entropy_and_mse_gradients_match_central_differences() =>
        Prop.ForAll(Shapes, t =>
        {
            var (rows, classes) = (t.N * t.L, t.C + 1);
            var ls = Shape.Of(rows, classes);
            var logits = Sample.Reals(ls.Count, t.Seed);
            var labels = Enumerable.Range(0, rows).Select(i => (int)((t.Seed + i) % classes)).ToArray();
            var smoothing = (float)(t.Seed % 3) * 0.1f;
            Compare($"cross-entropy (smoothing {smoothing})", CrossEntropy.Compute(Sample.Double, T(ls, logits), labels, smoothing).Gradient, logits,
                v => CrossEntropy.Compute(Sample.Double, T(ls, v), labels, smoothing).Loss, [1.0]);
            var target = T(ls, Sample.Reals(ls.Count, t.Seed + 1));
            Compare("mse", Mse.Compute(Sample.Double, T(ls, logits), target).Gradient, logits, v => Mse.Compute(Sample.Double, T(ls, v), target).Loss, [1.0]);
        });

    private static Tensor T(Shape shape, double[] values) => DoubleBackend.Tensor(shape, values);

    private static void Compare(string what, Tensor analytic, double[] at, Func<double[], Tensor> f, double[] r)
    {
        var numeric = FiniteDifferences.Gradient(v => FiniteDifferences.Dot(Sample.Values(f(v)), r), (double[])at.Clone());
        Expect.Close($"{what} (analytic vs central differences)", Sample.Values(analytic), numeric, Rtol, Atol);
    }
}
