using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Functions;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// Every tensor function and modern layer op: the pullback from <see cref="Vjp"/> matches central differences of
/// ⟨f(x…), r⟩, end to end in double through the Reference kernels (tolerance and step as <see cref="OpGradientLaws"/>:
/// the ops are smooth where tested, with inputs kept 0.1 from the kinks of abs, clamp and Hardswish's ±3).
/// </summary>
public class FunctionGradientLaws
{
    private const string Law = "GradientCheck";
    private const double Rtol = 1e-5, Atol = 1e-7;

    private static Arbitrary<(int A, int B, int C, long Seed)> Shapes =>
        (from a in Gen.Choose(1, 3) from b in Gen.Choose(1, 3) from c in Gen.Choose(2, 4) from s in Gen.Choose(0, int.MaxValue)
         select (a, b, c, (long)s)).ToArbitrary();

    [Property(MaxTest = 40)]
    [Trait("Law", Law)]
    public Property Elementwise_functions_and_activations_match_central_differences() =>
        Prop.ForAll(Shapes, t =>
        {
            var shape = Shape.Of(t.A, t.B, t.C);
            var x = FiniteDifferences.Random(shape.Count, t.Seed, margin: 0.1).Select(v => v * 2).ToArray();
            var positive = x.Select(v => Math.Abs(v) + 0.2).ToArray();
            var kinked = x.Select(v => Math.Abs(Math.Abs(v) - 3) < 0.1 ? v + 0.2 : v).Select(v => v * 2).ToArray();
            foreach (var (name, f, at) in new (string, Func<Var, Var>, double[])[]
            {
                ("gelu", v => Fn.Gelu(v), x), ("gelu tanh", v => Fn.Gelu(v, tanh: true), x), ("silu", Fn.Silu, x),
                ("hardswish", Fn.Hardswish, kinked), ("mish", Fn.Mish, x), ("exp", Fn.Exp, x), ("log", Fn.Log, positive),
                ("sqrt", Fn.Sqrt, positive), ("pow 2.5", v => Fn.Pow(v, 2.5f), positive), ("pow −1", v => Fn.Pow(v, -1f), positive),
                ("abs", Fn.Abs, x), ("clamp", v => Fn.Clamp(v, -0.05f, 0.05f), x), ("neg", Fn.Neg, x), ("scalar ops", v => 3f - v * 2f / 4f, x),
            })
                Check(name, vs => f(vs[0]), [(shape, at)], t.Seed + 1);
        });

    [Property(MaxTest = 40)]
    [Trait("Law", Law)]
    public Property Broadcasting_arithmetic_and_where_match_central_differences() =>
        Prop.ForAll(Shapes, t =>
        {
            var (full, row, col) = (Shape.Of(t.A, t.B, t.C), Shape.Of(t.C), Shape.Of(t.B, 1));
            var a = Sample.Reals(full.Count, t.Seed);
            var b = Sample.Reals(row.Count, t.Seed + 1).Select(v => v + 2).ToArray();
            var c = Sample.Reals(col.Count, t.Seed + 2);
            Check("add", v => v[0] + v[1] + v[2], [(full, a), (row, b), (col, c)], t.Seed + 3);
            Check("sub", v => v[0] - v[1] - v[2], [(full, a), (row, b), (col, c)], t.Seed + 3);
            Check("mul", v => v[0] * v[1] * v[2], [(full, a), (row, b), (col, c)], t.Seed + 3);
            Check("div", v => v[0] / v[1] / (v[2] + 3f), [(full, a), (row, b), (col, c)], t.Seed + 3);
            var cond = DoubleBackend.Tensor(full, a.Select(v => v > 0 ? 1.0 : 0.0).ToArray());
            Check("where", v => Fn.Where(cond, v[0], v[1]), [(full, a), (row, b)], t.Seed + 4);
        });

    [Property(MaxTest = 40)]
    [Trait("Law", Law)]
    public Property Matmul_reductions_and_views_match_central_differences() =>
        Prop.ForAll(Shapes, t =>
        {
            var (a, b) = (Shape.Of(t.A, 1, t.B, t.C), Shape.Of(2, t.C, 3));
            Check("batched matmul", v => Fn.Matmul(v[0], v[1]), [(a, Sample.Reals(a.Count, t.Seed)), (b, Sample.Reals(b.Count, t.Seed + 1))], t.Seed + 2);
            var s = Shape.Of(t.A, t.B, t.C);
            var x = Sample.Reals(s.Count, t.Seed + 3);
            Check("sum", v => Fn.Sum(v[0], [0, 2]), [(s, x)], t.Seed + 4);
            Check("mean keepdim", v => Fn.Mean(v[0], [1], keepDim: true), [(s, x)], t.Seed + 4);
            Check("max", v => Fn.Max(v[0], [-1]), [(s, x)], t.Seed + 4);
            Check("permute", v => Fn.Permute(v[0], 2, 0, 1), [(s, x)], t.Seed + 4);
            Check("slice", v => Fn.Slice(v[0], 2, 1, t.C - 1), [(s, x)], t.Seed + 4);
            Check("concat", v => Fn.Concat(1, v[0], Fn.Exp(v[0])), [(s, x)], t.Seed + 4);
            Check("reshape", v => Fn.Reshape(v[0], -1, t.A), [(s, x)], t.Seed + 4);
        });

    [Property(MaxTest = 15)]
    [Trait("Law", Law)]
    public Property Norms_and_upsampling_match_central_differences() =>
        Prop.ForAll(Shapes, t =>
        {
            var c = 2 * t.B;
            var s = Shape.Of(t.A, c, t.C, 3);
            var x = Sample.Reals(s.Count, t.Seed);
            var (g, b) = (Sample.Reals(c, t.Seed + 1), Sample.Reals(c, t.Seed + 2));
            var groups = t.Seed % 2 == 0 ? 2 : c;
            Check($"group_norm({groups})", v => Fn.GroupNorm(v[0], (int)groups, v[1], v[2]), [(s, x), (Shape.Of(c), g), (Shape.Of(c), b)], t.Seed + 3);
            var last = Shape.Of(t.C, 3);
            Check("layer_norm", v => Fn.LayerNorm(v[0], v[1], v[2], 2),
                [(s, x), (last, Sample.Reals(last.Count, t.Seed + 4)), (last, Sample.Reals(last.Count, t.Seed + 5))], t.Seed + 3);
            Check("upsample nearest", v => Fn.UpsampleNearest(v[0], 2, 3), [(s, x)], t.Seed + 6);
            Check("upsample bilinear", v => Fn.UpsampleBilinear(v[0], false, 2), [(s, x)], t.Seed + 6);
            Check("upsample bilinear aligned", v => Fn.UpsampleBilinear(v[0], true, 3, 2), [(s, x)], t.Seed + 6);
        });

    // The pullback of ⟨f, r⟩ for every input against central differences at that input, the others held fixed.
    private static void Check(string what, Func<IReadOnlyList<Var>, Var> f, (Shape Shape, double[] Values)[] inputs, long seed)
    {
        Tensor[] Tensors(int k, double[] v) => inputs.Select((p, i) => DoubleBackend.Tensor(p.Shape, i == k ? v : p.Values)).ToArray();
        var r0 = Vjp.Of(f, Tensors(-1, []), Sample.Double);
        var r = Sample.Reals(r0.Value.Count, seed);
        var grads = r0.Pullback(DoubleBackend.Tensor(r0.Value.Shape, r));
        for (var k = 0; k < inputs.Length; k++)
        {
            var kk = k;
            var numeric = FiniteDifferences.Gradient(v => FiniteDifferences.Dot(Sample.Values(f(Tensors(kk, v).Select(t => Var.Input(t, Sample.Double)).ToArray()).Value), r),
                (double[])inputs[k].Values.Clone());
            Expect.Close($"{what}: input {k} (analytic vs central differences)", Sample.Values(grads[k]), numeric, Rtol, Atol);
        }
    }
}
