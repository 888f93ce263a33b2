using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using static Functional.Properties.BackendAgreementKit;
using static Functional.Properties.BackendAgreementIlgpuKit;

namespace Functional.Properties;

/// <summary>
/// The function entries (point-wise families and derivatives, gather, where, compare) agree across backends: the
/// Cpu backend bit for bit with Reference (it runs the same formulas in parallel chunks), the ILGPU backend on its
/// CPU accelerator within the element-wise tolerance, over small generated buffers and geometries.
/// </summary>
public class FunctionBackendAgreement
{
    private static readonly IBackend[] Others = [Cpu, Ilgpu];

    private static Gen<(int N, long Seed, bool Extreme)> Buffers() =>
        from n in Gen.Choose(1, 300) from s in Gen.Choose(0, 1_000_000) from e in Gen.Elements(false, false, true) select (n, (long)s, e);

    private static Gen<GatherGeometry> Geometries() =>
        from dims in Gen.ArrayOf(Gen.Choose(1, 3), 6)
        from strides in Gen.ArrayOf(Gen.Choose(0, 5), 6)
        from offset in Gen.Choose(0, 3)
        select new GatherGeometry(Dims6.Right(dims, 1), Dims6.Right(strides, 0), offset);

    [Property(MaxTest = 60)]
    [Trait("Law", "BackendAgreement")]
    public Property Point_functions_and_their_derivatives_agree_with_reference() =>
        Prop.ForAll(Buffers().ToArbitrary(), Gen.Elements(Enum.GetValues<PointOp>()).ToArbitrary(), (c, op) =>
        {
            var x = c.Extreme ? Extreme(c.N, c.Seed) : Values(c.N, c.Seed).Select(v => v * 5f).ToArray();
            var dy = Values(c.N, c.Seed + 1);
            var (a, b) = op == PointOp.Clamp ? (-0.5f, 0.7f) : (1.5f, 0f);
            var (yr, dr) = (Reference.Allocate(c.N), Reference.Allocate(c.N));
            Reference.Pointwise(op, a, b, Store(x), yr);
            Reference.PointwiseBackward(op, a, b, Store(x), Store(dy), dr);
            foreach (var other in Others)
            {
                var (y, d) = (other.Allocate(c.N), other.Allocate(c.N));
                other.Pointwise(op, a, b, Store(x), y);
                other.PointwiseBackward(op, a, b, Store(x), Store(dy), d);
                var ok = other == Cpu
                    ? Identical($"{other.Name} {op} forward", Read(yr), Read(y)) && Identical($"{other.Name} {op} backward", Read(dr), Read(d))
                    : Close($"{other.Name} {op} forward", Read(yr), Read(y), 1) && Close($"{other.Name} {op} backward", Read(dr), Read(d), 1);
                if (!ok) return false;
            }
            return true;
        });

    [Property(MaxTest = 25)]
    [Trait("Law", "BackendAgreement")]
    public Property Gather_where_and_compare_agree_with_reference_bit_for_bit() =>
        Prop.ForAll(Geometries().ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(), (g, seed) =>
        {
            var src = Values((int)g.Reach, seed);
            var n = g.Length;
            var (p, q) = (FewValues(n, seed + 1), FewValues(n, seed + 2));
            var cond = Values(n, seed + 3).Select(v => v > 0 ? 1f : 0f).ToArray();
            var expected = new float[4][];
            var results = new List<(string, float[])>();
            foreach (var backend in new[] { Reference, Cpu, Ilgpu })
            {
                var (gy, wy, ey, cy) = (backend.Allocate(n), backend.Allocate(n), backend.Allocate(n), backend.Allocate(n));
                backend.Gather(g, Store(src), gy);
                backend.Where(Store(cond), Store(p), Store(q), wy);
                backend.Compare(CompareOp.Equal, Store(p), Store(q), ey);
                backend.Compare(CompareOp.Greater, Store(p), Store(q), cy);
                var got = new[] { Read(gy), Read(wy), Read(ey), Read(cy) };
                if (backend == Reference) { expected = got; continue; }
                for (var k = 0; k < 4; k++)
                    if (!Identical($"{backend.Name} {(new[] { "gather", "where", "eq", "gt" })[k]} {g}", expected[k], got[k])) return false;
            }
            // The gather itself against the definition: dst[i₀…i₅] = src[offset + Σ iₖ·strideₖ].
            var index = 0;
            foreach (var i in Indices(g))
                if (expected[0][index++] != src[i]) return false;
            return true;
        });

    private static IEnumerable<int> Indices(GatherGeometry g)
    {
        var (d, s) = (g.Dims, g.Strides);
        for (var a = 0; a < d.A; a++) for (var b = 0; b < d.B; b++) for (var c = 0; c < d.C; c++)
        for (var e = 0; e < d.D; e++) for (var f = 0; f < d.E; f++) for (var h = 0; h < d.F; h++)
            yield return g.Offset + a * s.A + b * s.B + c * s.C + e * s.D + f * s.E + h * s.F;
    }
}
