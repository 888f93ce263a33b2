using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Functions;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// The linear tensor functions and their pullbacks are adjoint: ⟨L x, y⟩ = ⟨x, Lᵀ y⟩ for random x and y, with Lᵀ
/// the pullback from <see cref="Vjp"/>, in double. Both sides sum the same products in another order, so they agree
/// to about 1e-15 per term; 1e-12 relative is far below the error of a wrong or missing term.
/// </summary>
public class FunctionAdjointLaws
{
    private static Arbitrary<(int A, int B, int C, long Seed)> Shapes =>
        (from a in Gen.Choose(1, 3) from b in Gen.Choose(1, 3) from c in Gen.Choose(2, 4) from s in Gen.Choose(0, int.MaxValue)
         select (a, b, c, (long)s)).ToArbitrary();

    [Property(MaxTest = 40)]
    [Trait("Law", "Adjoint")]
    public Property Linear_functions_and_their_pullbacks_are_adjoint() =>
        Prop.ForAll(Shapes, t =>
        {
            var s = Shape.Of(t.A, t.B, t.C, 2);
            var m = DoubleBackend.Tensor(Shape.Of(2, 3), Sample.Reals(6, t.Seed + 9));
            foreach (var (name, f) in new (string, Func<Var, Var>)[]
            {
                ("permute", v => Fn.Permute(v, 3, 1, 0, 2)), ("slice", v => Fn.Slice(v, 2, 1, t.C - 1)),
                ("concat", v => Fn.Concat(1, v, v)), ("sum", v => Fn.Sum(v, [0, 2])), ("mean", v => Fn.Mean(v, [3], keepDim: true)),
                ("reshape", v => Fn.Reshape(v, -1)), ("broadcast add of zeros", v => v + DoubleBackend.Tensor(Shape.Of(2, 1, 1, 1, 1), new double[2])),
                ("matmul by a constant", v => Fn.Matmul(v, m)), ("upsample nearest", v => Fn.UpsampleNearest(v, 2)),
                ("upsample bilinear", v => Fn.UpsampleBilinear(v, false, 2)), ("upsample bilinear aligned", v => Fn.UpsampleBilinear(v, true, 3)),
            })
            {
                var x = Sample.RealTensor(s, t.Seed);
                var (y, pullback) = Vjp.Of(f, x, Sample.Double);
                var r = Sample.RealTensor(y.Shape, t.Seed + 1);
                Expect.Near($"{name}: ⟨L x, y⟩ vs ⟨x, Lᵀ y⟩", Sample.Dot(y, r), Sample.Dot(x, pullback(r)), 1e-12, 1e-12);
            }
        });
}
