using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Backends.Reference;
using Functional.Properties.Support;
using Functional.Random;
using Xunit;

namespace Functional.Properties;

public class PoolLaws
{

    /// <summary>A valid 2-d pooling over a small N×C×H×W input, with every option drawn.</summary>
    private static Gen<(int H, int W, int K, int S, int P, int D, bool Ceil, bool Include, long Seed)> Configs(bool dilated) =>
        from k in Gen.Choose(1, 4)
        from s in Gen.Choose(1, 3)
        from p in Gen.Choose(0, k / 2)
        from d in dilated ? Gen.Choose(1, 3) : Gen.Constant(1)
        from h in Gen.Choose(1, 9)
        from w in Gen.Choose(1, 9)
        from ceil in Gen.Elements(false, true)
        from include in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1_000_000)
        where ShapeRules.PoolOutputSize(h, k, s, p, d, ceil) >= 1 && ShapeRules.PoolOutputSize(w, k, s, p, d, ceil) >= 1
              && EveryWindowReadsInput(h, k, s, p, d, ceil) && EveryWindowReadsInput(w, k, s, p, d, ceil)
        select (h, w, k, s, p, d, ceil, include, (long)seed);

    private static bool EveryWindowReadsInput(int i, int k, int s, int p, int d, bool ceil) =>
        Enumerable.Range(0, ShapeRules.PoolOutputSize(i, k, s, p, d, ceil))
            .All(o => Enumerable.Range(0, k).Any(j => o * s - p + j * d >= 0 && o * s - p + j * d < i));

    [Property(MaxTest = 1000)]
    [Trait("Law", "InvalidInput")]
    public Property A_dilated_window_that_reads_only_padding_is_rejected_exactly_when_it_occurs() =>
        Prop.ForAll(
            (from k in Gen.Choose(1, 4) from s in Gen.Choose(1, 3) from p in Gen.Choose(0, k / 2) from d in Gen.Choose(1, 3)
             from i in Gen.Choose(1, 9) from ceil in Gen.Elements(false, true)
             where ShapeRules.PoolOutputSize(i, k, s, p, d, ceil) >= 1
             select (i, k, s, p, d, ceil)).ToArbitrary(),
            c =>
            {
                var valid = EveryWindowReadsInput(c.i, c.k, c.s, c.p, c.d, c.ceil);
                try { PoolSpec.Square(1, c.k, c.s, c.p, c.d, c.ceil).Geometry(Shape.Sequences(1, 1, c.i), PoolKind.Max, "law"); return valid; }
                catch (ShapeException e) { return !valid && e.Message.Contains("reads only padding"); }
            });

    private static PoolGeometry Geometry((int H, int W, int K, int S, int P, int D, bool Ceil, bool Include, long Seed) c, PoolKind kind) =>
        PoolSpec.Square(2, c.K, c.S, c.P, c.D, c.Ceil, c.Include).Geometry(Shape.Images(2, 2, c.H, c.W), kind, "law");

    private static double[] Values(int n, long seed, int levels = 0)
    {
        var key = Key.FromSeed(seed);
        // With levels > 0, values are small integers, so windows are full of ties (as after a ReLU).
        return Enumerable.Range(0, n).Select(i => levels > 0 ? key.Below(i, levels) : key.UniformDouble(i) * 2 - 1).ToArray();
    }

    [Property(MaxTest = 400)]
    [Trait("Law", "Adjoint")]
    public Property Average_pool_backward_is_the_adjoint_of_its_forward() =>
        Prop.ForAll(Configs(dilated: false).ToArbitrary(), c =>
            {
                var g = Geometry(c, PoolKind.Average);
                var x = Values(g.InputLength, c.Seed);
                var r = Values(g.OutputLength, c.Seed + 1);
                var y = new double[g.OutputLength];
                var dx = new double[g.InputLength];
                PoolKernels.Forward<double>(g, x, y, []);
                PoolKernels.Backward<double>(g, r, [], dx);
                double lhs = y.Zip(r, (a, b) => a * b).Sum(), rhs = x.Zip(dx, (a, b) => a * b).Sum();
                return Math.Abs(lhs - rhs) <= 1e-12 * (1 + Math.Abs(lhs));
            });

    [Property(MaxTest = 400)]
    [Trait("Law", "GradientCheck")]
    public Property Max_pool_takes_the_first_maximum_of_each_window_and_routes_all_of_dy_there() =>
        Prop.ForAll(Configs(dilated: true).ToArbitrary(), c =>
            {
                var g = Geometry(c, PoolKind.Max);
                var x = Values(g.InputLength, c.Seed, levels: 3);
                var y = new double[g.OutputLength];
                var argmax = new int[g.OutputLength];
                PoolKernels.Forward<double>(g, x, y, argmax);
                int oh = g.Output.H, ow = g.Output.W, plane = c.H * c.W;
                for (var o = 0; o < g.OutputLength; o++)
                {
                    int pl = o / (oh * ow), i = o / ow % oh, j = o % ow;
                    var first = -1;  // every window reads the input (see the generator), so this gets set
                    for (var a = 0; a < c.K; a++)
                        for (var b = 0; b < c.K; b++)
                        {
                            int ih = i * c.S - c.P + a * c.D, iw = j * c.S - c.P + b * c.D;
                            if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                            var flat = ih * c.W + iw;
                            if (first < 0 || x[pl * plane + flat] > x[pl * plane + first]) first = flat;
                        }
                    if (argmax[o] != first || y[o] != x[pl * plane + first]) return false;
                }
                var dy = Values(g.OutputLength, c.Seed + 2);
                var dx = new double[g.InputLength];
                PoolKernels.Backward<double>(g, dy, argmax, dx);
                return Math.Abs(dx.Sum() - dy.Sum()) < 1e-9;
            });
}
