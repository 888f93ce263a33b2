using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>The Cpu backend's GEMM, element-wise, reduction, softmax, pooling and padding agree with the Reference backend.</summary>
public class BackendAgreementOps
{
    // Sizes straddle the 6×16 register tile and the 256-deep K block; batches use strides and offsets.
    private static Gen<(GemmGeometry G, long Seed)> Gemms() =>
        from m in Gen.OneOf(Gen.Choose(1, 20), Gen.Choose(60, 160))
        from n in Gen.OneOf(Gen.Choose(1, 40), Gen.Choose(100, 300))
        from k in Gen.OneOf(Gen.Choose(0, 20), Gen.Choose(250, 600))
        from ta in Gen.Elements(false, true)
        from tb in Gen.Elements(false, true)
        from alpha in Gen.Elements(1f, 0.5f, -2f)
        from beta in Gen.Elements(0f, 1f, 0.25f)
        from batch in Gen.Choose(1, 3)
        from shareB in Gen.Elements(false, true)
        from offset in Gen.Choose(0, 5)
        from seed in Gen.Choose(0, 1_000_000)
        select (new GemmGeometry(m, n, k, ta, tb, alpha, beta, batch, m * k + offset, shareB ? 0 : k * n, m * n + offset, offset, 0, offset),
            (long)seed);

    [Property(MaxTest = 150)]
    [Trait("Law", "BackendAgreement")]
    public Property Gemm_agrees_with_reference() =>
        Prop.ForAll(Gemms().ToArbitrary(), c =>
        {
            var g = c.G;
            var a = Values(g.OffsetA + g.Batch * g.StrideA, c.Seed);
            var b = Values(g.StrideB == 0 ? g.K * g.N : g.Batch * g.StrideB, c.Seed + 1);
            var start = Values(g.OffsetC + g.Batch * g.StrideC, c.Seed + 2);
            var (cr, cc) = (Store((float[])start.Clone()), Store((float[])start.Clone()));
            Reference.Gemm(g, Store(a), Store(b), cr);
            Cpu.Gemm(g, Store(a), Store(b), cc);
            return Close($"gemm {g}", Read(cr), Read(cc), g.K + 2);
        });

    // Fewer rows than the register tile skip packing (a dense layer at batch 1); each row must still get the bits it
    // gets inside a taller GEMM, or a sample's prediction would depend on its batch size.
    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Gemm_rows_do_not_depend_on_how_many_rows_are_multiplied() =>
        Prop.ForAll((from m in Gen.Choose(1, 5)
                     from n in Gen.OneOf(Gen.Choose(1, 40), Gen.Choose(100, 300))
                     from k in Gen.OneOf(Gen.Choose(0, 20), Gen.Choose(250, 600))
                     from tb in Gen.Elements(false, true)
                     from beta in Gen.Elements(0f, 1f, 0.25f)
                     from seed in Gen.Choose(0, 1_000_000)
                     select (m, n, k, tb, beta, seed)).ToArbitrary(), c =>
        {
            const int tall = 13;
            var (a, b, start) = (Values(tall * c.k, c.seed), Values(c.k * c.n, c.seed + 1), Values(tall * c.n, c.seed + 2));
            var (few, many) = (Store(start[..(c.m * c.n)]), Store((float[])start.Clone()));
            Cpu.Gemm(new GemmGeometry(c.m, c.n, c.k, TransB: c.tb, Beta: c.beta), Store(a[..(c.m * c.k)]), Store(b), few);
            Cpu.Gemm(new GemmGeometry(tall, c.n, c.k, TransB: c.tb, Beta: c.beta), Store(a), Store(b), many);
            return Identical($"gemm rows m={c.m} n={c.n} k={c.k} tb={c.tb}", Read(many)[..(c.m * c.n)], Read(few));
        });

    private static Gen<(int Outer, int Axis, int Inner, long Seed)> Axes() =>
        from outer in Gen.Choose(1, 9)
        from axis in Gen.Choose(1, 40)
        from inner in Gen.OneOf(Gen.Constant(1), Gen.Choose(1, 70))
        from seed in Gen.Choose(0, 1_000_000)
        select (outer, axis, inner, (long)seed);

    // Rows up to 500 long (many vectors and a tail), and inputs at the functions' edges half the time.
    private static Gen<(int Outer, int Axis, int Inner, long Seed)> LongAxes() =>
        Gen.OneOf(Axes(), from n in Gen.Choose(1, 500) from seed in Gen.Choose(0, 1_000_000) select (1, n, 1, (long)seed));

    [Property(MaxTest = 300)]
    [Trait("Law", "BackendAgreement")]
    public Property Unary_maps_and_their_derivatives_agree_with_reference() =>
        Prop.ForAll(LongAxes().ToArbitrary(), Gen.Elements(Enum.GetValues<UnaryOp>()).ToArbitrary(), Gen.Elements(false, true).ToArbitrary(),
            (c, op, extreme) =>
        {
            var n = c.Outer * c.Axis * c.Inner;
            // Sqrt and Log need positive inputs unless the case is about edges; the others see both signs.
            var x = extreme ? Extreme(n, c.Seed)
                : Values(n, c.Seed).Select(v => op is UnaryOp.Sqrt or UnaryOp.Log ? Math.Abs(v) + 0.1f : v).ToArray();
            var dy = Values(n, c.Seed + 1);
            var (yr, yc) = (Reference.Allocate(n), Cpu.Allocate(n));
            Reference.Unary(op, 0.3f, Store(x), yr);
            Cpu.Unary(op, 0.3f, Store(x), yc);
            var (dr, dc) = (Reference.Allocate(n), Cpu.Allocate(n));
            Reference.UnaryBackward(op, 0.3f, Store(x), yr, Store(dy), dr);
            Cpu.UnaryBackward(op, 0.3f, Store(x), yr, Store(dy), dc);
            // exp, log, sigmoid and tanh are polynomial approximations within 2 ulp of MathF (VectorMathAccuracy);
            // every other forward, and every derivative given the same y, is the Reference formula: equal bits.
            var forward = op is UnaryOp.Exp or UnaryOp.Log or UnaryOp.Sigmoid or UnaryOp.Tanh
                ? WithinUlps($"{op} forward n={n}", Read(yr), Read(yc), 4)
                : Identical($"{op} forward n={n}", Read(yr), Read(yc));
            return forward && Identical($"{op} backward n={n}", Read(dr), Read(dc));
        });

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Binary_maps_agree_with_reference_elementwise_and_per_axis() =>
        Prop.ForAll(Axes().ToArbitrary(), Gen.Elements(Enum.GetValues<BinaryOp>()).ToArbitrary(), Gen.Elements(false, true).ToArbitrary(),
            (c, op, perAxis) =>
            {
                var g = new AxisGeometry(c.Outer, c.Axis, c.Inner);
                var a = Values(g.Length, c.Seed);
                var b = Values(perAxis ? g.Axis : g.Length, c.Seed + 1).Select(v => v + 2f).ToArray();
                var (yr, yc) = (Reference.Allocate(g.Length), Cpu.Allocate(g.Length));
                Reference.Binary(op, g, Store(a), Store(b), perAxis, yr);
                Cpu.Binary(op, g, Store(a), Store(b), perAxis, yc);
                return Identical($"{op} {g} perAxis={perAxis}", Read(yr), Read(yc));
            });

    // Long contiguous rows (vectors and a tail) and strided axes wider than the 256-position column blocks.
    private static Gen<(int Outer, int Axis, int Inner, long Seed)> WideAxes() =>
        Gen.OneOf(Axes(),
            from outer in Gen.Choose(1, 4) from axis in Gen.Choose(9, 1100) from seed in Gen.Choose(0, 1_000_000) select (outer, axis, 1, (long)seed),
            from outer in Gen.Choose(1, 3) from axis in Gen.Choose(1, 64) from inner in Gen.Choose(2, 600) from seed in Gen.Choose(0, 1_000_000)
            select (outer, axis, inner, (long)seed));

    [Property(MaxTest = 300)]
    [Trait("Law", "BackendAgreement")]
    public Property Reductions_agree_with_reference() =>
        Prop.ForAll(WideAxes().ToArbitrary(), Gen.Elements(Enum.GetValues<ReduceOp>()).ToArbitrary(),
            Gen.Elements((false, false), (false, true), (true, false), (true, true)).ToArbitrary(), (c, op, flags) =>
            {
                var (keep, ties) = flags;
                var g = new AxisGeometry(c.Outer, c.Axis, c.Inner);
                // Max also sees ties, zeros of both signs, infinities and NaNs of two payloads: its rule picks bits.
                var x = op == ReduceOp.Max && ties ? FewValues(g.Length, c.Seed) : Values(g.Length, c.Seed);
                var n = keep ? g.Axis : g.Outer * g.Inner;
                var (yr, yc) = (Reference.Allocate(n), Cpu.Allocate(n));
                Reference.Reduce(op, g, Store(x), keep, yr);
                Cpu.Reduce(op, g, Store(x), keep, yc);
                return op == ReduceOp.Max
                    ? Identical($"{op} {g} keepAxis={keep} ties={ties}", Read(yr), Read(yc))
                    : Close($"{op} {g} keepAxis={keep}", Read(yr), Read(yc), keep ? g.Outer * g.Inner : g.Axis);
            });

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Softmax_and_log_softmax_agree_with_reference_forward_and_backward() =>
        Prop.ForAll(WideAxes().ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), Gen.Elements(false, false, true).ToArbitrary(), (c, log, extreme) =>
        {
            var g = new AxisGeometry(c.Outer, c.Axis, c.Inner);
            // Edge cases: −∞ (masked logits), ±1000, NaN and +∞, which poison their row or column in both backends.
            var x = extreme ? Extreme(g.Length, c.Seed) : Values(g.Length, c.Seed).Select(v => v * 10f).ToArray();
            var dy = Values(g.Length, c.Seed + 1);
            var (yr, yc) = (Reference.Allocate(g.Length), Cpu.Allocate(g.Length));
            Reference.Softmax(g, log, Store(x), yr);
            Cpu.Softmax(g, log, Store(x), yc);
            var (dr, dc) = (Reference.Allocate(g.Length), Cpu.Allocate(g.Length));
            Reference.SoftmaxBackward(g, log, yr, Store(dy), dr);
            Cpu.SoftmaxBackward(g, log, yr, Store(dy), dc);
            // In place (y = x, dx = dy) the Cpu kernels give the same bits as into separate buffers.
            var (xi, dyi) = (Store(x), Store(dy));
            Cpu.Softmax(g, log, xi, xi);
            Cpu.SoftmaxBackward(g, log, yr, dyi, dyi);
            // exp is within 1 ulp of MathF and sums run in lanes: float32 agreement for sums of Axis terms.
            return Close($"softmax log={log} {g}", Read(yr), Read(yc), g.Axis)
                && Close($"softmax backward log={log} {g}", Read(dr), Read(dc), g.Axis)
                && Identical($"softmax in place log={log} {g}", Read(yc), Read(xi)) && Identical($"softmax backward in place log={log} {g}", Read(dc), Read(dyi));
        });

    // Max, average and adaptive pooling with stride, padding, dilation and ceil mode, over 2-d and 3-d planes.
    internal static Gen<(PoolGeometry G, long Seed)> Pools() =>
        from kind in Gen.Elements(PoolKind.Max, PoolKind.Average, PoolKind.AdaptiveAverage)
        from k in Gen.Choose(1, 3)
        from s in Gen.Choose(1, 3)
        from p in Gen.Choose(0, k / 2)
        from dil in kind == PoolKind.Max ? Gen.Choose(1, 2) : Gen.Constant(1)
        from ceil in Gen.Elements(false, true)
        from depth in Gen.Elements(1, 1, 3)
        from h in Gen.Choose(k * dil, 12)
        from w in Gen.Choose(k * dil, 12)
        from planes in Gen.Choose(1, 40)
        from include in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1_000_000)
        let kd = depth == 1 ? 1 : k
        let pd = depth == 1 ? 0 : p
        let size = (Func<int, int, int, int>)((i, kk, pp) => kind == PoolKind.AdaptiveAverage
            ? Math.Max(1, i * 2 / 3) : ShapeRules.PoolOutputSize(i, kk, s, pp, dil, ceil))
        where kind == PoolKind.AdaptiveAverage
              || (Reads(depth, kd, s, pd, dil, ceil) && Reads(h, k, s, p, dil, ceil) && Reads(w, k, s, p, dil, ceil))
        select (new PoolGeometry(depth == 1 ? 2 : 3, kind, planes, new Dims3(depth, h, w), new Dims3(kd, k, k), new Dims3(depth == 1 ? 1 : s, s, s),
            new Dims3(depth == 1 ? 1 : dil, dil, dil), new Dims3(pd, p, p), new Dims3(size(depth, kd, pd), size(h, k, p), size(w, k, p)), include),
            (long)seed);

    // Every window must read at least one input element (the pooling spec rejects the others).
    private static bool Reads(int i, int k, int s, int p, int d, bool ceil) =>
        ShapeRules.PoolOutputSize(i, k, s, p, d, ceil) >= 1 && Enumerable.Range(0, ShapeRules.PoolOutputSize(i, k, s, p, d, ceil))
            .All(o => Enumerable.Range(0, k).Any(j => o * s - p + j * d >= 0 && o * s - p + j * d < i));

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Pooling_agrees_with_reference_forward_argmax_and_backward() =>
        Prop.ForAll(Pools().ToArbitrary(), c =>
        {
            var g = c.G;
            var x = Values(g.InputLength, c.Seed);
            var dy = Values(g.OutputLength, c.Seed + 1);
            var (yr, yc) = (Reference.Allocate(g.OutputLength), Cpu.Allocate(g.OutputLength));
            var (ar, ac) = (Reference.AllocateIndices(g.OutputLength), Cpu.AllocateIndices(g.OutputLength));
            var max = g.Kind == PoolKind.Max;
            Reference.PoolForward(g, Store(x), yr, max ? ar : null);
            Cpu.PoolForward(g, Store(x), yc, max ? ac : null);
            var (dr, dc) = (Reference.Allocate(g.InputLength), Cpu.Allocate(g.InputLength));
            Reference.PoolBackward(g, Store(dy), max ? ar : null, dr);
            Cpu.PoolBackward(g, Store(dy), max ? ac : null, dc);
            // Same taps, order and divisor as the Reference loops: equal bits, not just float32 agreement.
            return Identical($"pool {g}", Read(yr), Read(yc)) && Identical($"pool backward {g}", Read(dr), Read(dc))
                && (!max || ((HostIndexStorage)ar).Data.SequenceEqual(((HostIndexStorage)ac).Data));
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Padding_modes_agree_with_reference_forward_and_adjoint() =>
        Prop.ForAll(Gen.Choose(1, 9).ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), Gen.Elements(Enum.GetValues<PaddingMode>()).ToArbitrary(),
            (size, pad, mode) =>
            {
                var p = Math.Min(pad, mode == PaddingMode.Reflect ? size - 1 : size);
                var g = new PadGeometry(7, new Dims3(1, size, size + 1), new Dims3(0, p, p), new Dims3(1, size + 2 * p, size + 1 + 2 * p));
                var x = Values(g.Planes * g.Input.Product, size * 31 + pad);
                var dy = Values(g.Planes * g.Output.Product, size * 37 + pad);
                var (yr, yc) = (Reference.Allocate(dy.Length), Cpu.Allocate(dy.Length));
                Reference.Pad(g, mode, Store(x), yr);
                Cpu.Pad(g, mode, Store(x), yc);
                var (dr, dc) = (Reference.Allocate(x.Length), Cpu.Allocate(x.Length));
                Reference.PadBackward(g, mode, Store(dy), dr);
                Cpu.PadBackward(g, mode, Store(dy), dc);
                return Close($"pad {mode} {g}", Read(yr), Read(yc), 1) && Close($"pad backward {mode}", Read(dr), Read(dc), 9);
            });
}
