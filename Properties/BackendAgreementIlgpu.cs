using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using static Functional.Properties.BackendAgreementIlgpuKit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The ILGPU backend's element-wise, reduction, softmax, batch-norm and copy entries agree with the Reference
/// backend, with the tolerances of the Cpu laws, over small shapes on the CPU accelerator.
/// </summary>
public class BackendAgreementIlgpu
{
    private static Gen<(int Outer, int Axis, int Inner, long Seed)> Axes() =>
        from outer in Gen.Choose(1, 5)
        from axis in Gen.Choose(1, 24)
        from inner in Gen.OneOf(Gen.Constant(1), Gen.Choose(1, 20))
        from seed in Gen.Choose(0, 1_000_000)
        select (outer, axis, inner, (long)seed);

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Unary_maps_and_their_derivatives_agree_with_reference() =>
        Prop.ForAll(Axes().ToArbitrary(), Gen.Elements(Enum.GetValues<UnaryOp>()).ToArbitrary(), Gen.Elements(false, true).ToArbitrary(),
            (c, op, extreme) =>
        {
            var n = c.Outer * c.Axis * c.Inner;
            var x = extreme ? Extreme(n, c.Seed)
                : Values(n, c.Seed).Select(v => op is UnaryOp.Sqrt or UnaryOp.Log ? Math.Abs(v) + 0.1f : v).ToArray();
            var dy = Values(n, c.Seed + 1);
            var (yr, yi) = (Reference.Allocate(n), Ilgpu.Allocate(n));
            Reference.Unary(op, 0.3f, Store(x), yr);
            Ilgpu.Unary(op, 0.3f, Store(x), yi);
            var (dr, di) = (Reference.Allocate(n), Ilgpu.Allocate(n));
            Reference.UnaryBackward(op, 0.3f, Store(x), yr, Store(dy), dr);
            Ilgpu.UnaryBackward(op, 0.3f, Store(x), yr, Store(dy), di);
            // The CPU accelerator runs the kernels as .NET code with MathF: the Reference formulas, bit for bit.
            return Identical($"{op} forward n={n}", Read(yr), Read(yi))
                && Identical($"{op} backward n={n}", Read(dr), Read(di));
        });

    [Property(MaxTest = 150)]
    [Trait("Law", "BackendAgreement")]
    public Property Binary_maps_agree_with_reference_elementwise_and_per_axis() =>
        Prop.ForAll(Axes().ToArbitrary(), Gen.Elements(Enum.GetValues<BinaryOp>()).ToArbitrary(), Gen.Elements(false, true).ToArbitrary(),
            (c, op, perAxis) =>
            {
                var g = new AxisGeometry(c.Outer, c.Axis, c.Inner);
                var a = Values(g.Length, c.Seed);
                var b = Values(perAxis ? g.Axis : g.Length, c.Seed + 1).Select(v => v + 2f).ToArray();
                var (yr, yi) = (Reference.Allocate(g.Length), Ilgpu.Allocate(g.Length));
                Reference.Binary(op, g, Store(a), Store(b), perAxis, yr);
                Ilgpu.Binary(op, g, Store(a), Store(b), perAxis, yi);
                return Identical($"{op} {g} perAxis={perAxis}", Read(yr), Read(yi));
            });

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Reductions_agree_with_reference() =>
        Prop.ForAll(Axes().ToArbitrary(), Gen.Elements(Enum.GetValues<ReduceOp>()).ToArbitrary(),
            Gen.Elements((false, false), (false, true), (true, false), (true, true)).ToArbitrary(), (c, op, flags) =>
            {
                var (keep, ties) = flags;
                var g = new AxisGeometry(c.Outer, c.Axis, c.Inner);
                var x = op == ReduceOp.Max && ties ? FewValues(g.Length, c.Seed) : Values(g.Length, c.Seed);
                var n = keep ? g.Axis : g.Outer * g.Inner;
                var (yr, yi) = (Reference.Allocate(n), Ilgpu.Allocate(n));
                Reference.Reduce(op, g, Store(x), keep, yr);
                Ilgpu.Reduce(op, g, Store(x), keep, yi);
                return op == ReduceOp.Max
                    ? Identical($"{op} {g} keepAxis={keep} ties={ties}", Read(yr), Read(yi))
                    : Close($"{op} {g} keepAxis={keep}", Read(yr), Read(yi), keep ? g.Outer * g.Inner : g.Axis);
            });

    [Property(MaxTest = 150)]
    [Trait("Law", "BackendAgreement")]
    public Property Softmax_and_log_softmax_agree_with_reference_forward_and_backward() =>
        Prop.ForAll(Axes().ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), Gen.Elements(false, false, true).ToArbitrary(), (c, log, extreme) =>
        {
            var g = new AxisGeometry(c.Outer, c.Axis, c.Inner);
            var x = extreme ? Extreme(g.Length, c.Seed) : Values(g.Length, c.Seed).Select(v => v * 10f).ToArray();
            var dy = Values(g.Length, c.Seed + 1);
            var (yr, yi) = (Reference.Allocate(g.Length), Ilgpu.Allocate(g.Length));
            Reference.Softmax(g, log, Store(x), yr);
            Ilgpu.Softmax(g, log, Store(x), yi);
            var (dr, di) = (Reference.Allocate(g.Length), Ilgpu.Allocate(g.Length));
            Reference.SoftmaxBackward(g, log, yr, Store(dy), dr);
            Ilgpu.SoftmaxBackward(g, log, yr, Store(dy), di);
            return Close($"softmax log={log} {g}", Read(yr), Read(yi), g.Axis)
                && Close($"softmax backward log={log} {g}", Read(dr), Read(di), g.Axis);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Strided_copies_agree_with_reference() =>
        Prop.ForAll((from count in Gen.Choose(1, 6) from block in Gen.Choose(0, 9) from gap in Gen.Choose(0, 4) from seed in Gen.Choose(0, 1000)
                     select (count, block, gap, seed)).ToArbitrary(), c =>
            {
                var (count, block, gap, seed) = c;
                var g = new CopyGeometry(count, block, gap, block + gap, 2 * gap, block + 2 * gap);
                var src = Values(g.SrcOffset + count * g.SrcStride, seed);
                var start = Values(g.DstOffset + count * g.DstStride, seed + 1);
                var dr = Store((float[])start.Clone());
                Reference.Copy(g, Store(src), dr);
                // The ILGPU output starts as a device copy of the same values: a copy writes only its blocks.
                var di = Ilgpu.Allocate(start.Length);
                Ilgpu.Unary(UnaryOp.Identity, 0f, Store(start), di);
                Ilgpu.Copy(g, Store(src), di);
                return Identical($"copy {g}", Read(dr), Read(di));
            });

    private static Gen<(AxisGeometry G, bool Training, long Seed)> BatchNorms() =>
        from outer in Gen.Choose(1, 4)
        from axis in Gen.Choose(1, 8)
        from inner in Gen.OneOf(Gen.Constant(1), Gen.Choose(1, 20))
        from training in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1_000_000)
        where outer * inner >= 2
        select (new AxisGeometry(outer, axis, inner), training, (long)seed);

    [Property(MaxTest = 150)]
    [Trait("Law", "BackendAgreement")]
    public Property Batch_norm_and_its_fused_relu_agree_with_reference() =>
        Prop.ForAll(BatchNorms().ToArbitrary(), c =>
        {
            var (g, training, seed) = c;
            var x = Values(g.Length, seed).Select((v, i) => v + (i / g.Inner % g.Axis) * 0.5f).ToArray();
            var (gamma, beta, dy) = (Values(g.Axis, seed + 1), Values(g.Axis, seed + 2), Values(g.Length, seed + 3));
            var terms = g.Outer * g.Inner;
            var where = $"{g} training={training} seed={seed}";
            var ok = true;
            foreach (var relu in new[] { false, true })
            {
                var r = BatchNorm(Reference, g, training, relu, x, gamma, beta, dy);
                var d = BatchNorm(Ilgpu, g, training, relu, x, gamma, beta, dy);
                for (var k = 0; k < r.Length; k++)
                    ok &= k == 2 ? Identical($"y relu={relu} {where}", r[k], d[k]) : Close($"output {k} relu={relu} {where}", r[k], d[k], terms);
            }
            return ok.Label(where);
        });

    // Statistics from x, then forward and backward from them: mean, variance, y, dx, dγ, dβ.
    private static float[][] BatchNorm(IBackend b, AxisGeometry g, bool training, bool relu, float[] x, float[] gamma, float[] beta, float[] dy)
    {
        var (m, v) = (b.Allocate(g.Axis), b.Allocate(g.Axis));
        var xs = Store(x);
        b.BatchNormStatistics(g, xs, m, v);
        var y = b.Allocate(g.Length);
        var (dx, dg, db) = (b.Allocate(g.Length), b.Allocate(g.Axis), b.Allocate(g.Axis));
        if (relu)
        {
            b.BatchNormReLUForward(g, 1e-5f, xs, m, v, Store(gamma), Store(beta), y);
            b.BatchNormReLUBackward(g, 1e-5f, training, xs, m, v, Store(gamma), y, Store(dy), dx, dg, db);
        }
        else
        {
            b.BatchNormForward(g, 1e-5f, xs, m, v, Store(gamma), Store(beta), y);
            b.BatchNormBackward(g, 1e-5f, training, xs, m, v, Store(gamma), Store(dy), dx, dg, db);
        }
        return [Read(m), Read(v), Read(y), Read(dx), Read(dg), Read(db)];
    }
}
