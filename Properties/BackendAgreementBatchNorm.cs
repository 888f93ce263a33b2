using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The batch-norm seam entries of the Cpu backend against Reference: statistics, forward and backward in both
/// modes, over channel geometries whose runs straddle the vector width (and N×C inputs with runs of one). The
/// forward with given statistics is element-wise, so it must agree bit for bit; the sums agree to float32.
/// </summary>
public class BackendAgreementBatchNorm
{
    private static readonly IBackend[] Threads = [ExecutionContext.Cpu(1).Backend, ExecutionContext.Cpu(3).Backend];

    private static Gen<(AxisGeometry G, bool Training, long Seed)> Cases() =>
        from outer in Gen.Choose(1, 6)
        from axis in Gen.Choose(1, 12)
        from inner in Gen.OneOf(Gen.Constant(1), Gen.Choose(1, 70))
        from training in Gen.Elements(false, true)
        from seed in Gen.Choose(0, 1_000_000)
        where outer * inner >= 2
        select (new AxisGeometry(outer, axis, inner), training, (long)seed);

    // Seeded x, γ, β and dy, and the batch statistics of x from the Reference kernel.
    private static (float[] X, float[] Gamma, float[] Beta, float[] Dy, float[] Mean, float[] Variance) Data(AxisGeometry g, long seed)
    {
        var x = Values(g.Length, seed);
        var (mean, variance) = (new float[g.Axis], new float[g.Axis]);
        Functional.Backends.Reference.BatchNormKernels.Statistics<float>(g, x, mean, variance);
        return (x, Values(g.Axis, seed + 1), Values(g.Axis, seed + 2), Values(g.Length, seed + 3), mean, variance);
    }

    private sealed record Run(float[] Mean, float[] Variance, float[] Y, float[] Dx, float[] DGamma, float[] DBeta);

    // Statistics from this backend, then forward and backward from the given statistics, so each entry is
    // compared on identical inputs.
    private static Run Execute(IBackend b, AxisGeometry g, bool training, float[] x, float[] gamma, float[] beta, float[] dy,
        float[] mean, float[] variance)
    {
        var (m, v) = (b.Allocate(g.Axis), b.Allocate(g.Axis));
        b.BatchNormStatistics(g, Store(x), m, v);
        var y = b.Allocate(g.Length);
        b.BatchNormForward(g, 1e-5f, Store(x), Store(mean), Store(variance), Store(gamma), Store(beta), y);
        var (dx, dg, db) = (b.Allocate(g.Length), b.Allocate(g.Axis), b.Allocate(g.Axis));
        b.BatchNormBackward(g, 1e-5f, training, Store(x), Store(mean), Store(variance), Store(gamma), Store(dy), dx, dg, db);
        return new Run(Read(m), Read(v), Read(y), Read(dx), Read(dg), Read(db));
    }

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Batch_norm_statistics_forward_and_backward_agree_with_reference() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var (g, training, seed) = c;
            // An offset mean per channel, so the two-pass variance is tested away from zero mean.
            var x = Values(g.Length, seed).Select((v, i) => v + (i / g.Inner % g.Axis) * 0.5f).ToArray();
            var (gamma, beta, dy) = (Values(g.Axis, seed + 1), Values(g.Axis, seed + 2), Values(g.Length, seed + 3));
            var (mean, variance) = (new float[g.Axis], new float[g.Axis]);
            Functional.Backends.Reference.BatchNormKernels.Statistics<float>(g, x, mean, variance);
            var r = Execute(Reference, g, training, x, gamma, beta, dy, mean, variance);
            var cpu = Execute(Cpu, g, training, x, gamma, beta, dy, mean, variance);
            var terms = g.Outer * g.Inner;
            var where = $"{g} training={training} seed={seed}";
            return (Close($"mean {where}", r.Mean, cpu.Mean, terms) && Close($"variance {where}", r.Variance, cpu.Variance, terms)
                && Identical($"forward {where}", r.Y, cpu.Y) && Close($"dx {where}", r.Dx, cpu.Dx, terms)
                && Close($"dgamma {where}", r.DGamma, cpu.DGamma, terms) && Close($"dbeta {where}", r.DBeta, cpu.DBeta, terms))
                .Label(where);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Batch_norm_gives_the_same_bits_on_one_and_three_threads() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var (g, training, seed) = c;
            var (x, gamma, beta, dy, mean, variance) = Data(g, seed);
            var runs = Threads.Select(b => Execute(b, g, training, x, gamma, beta, dy, mean, variance)).ToArray();
            var where = $"{g} training={training} seed={seed}";
            return (Identical($"mean {where}", runs[0].Mean, runs[1].Mean) && Identical($"variance {where}", runs[0].Variance, runs[1].Variance)
                && Identical($"y {where}", runs[0].Y, runs[1].Y) && Identical($"dx {where}", runs[0].Dx, runs[1].Dx)
                && Identical($"dgamma {where}", runs[0].DGamma, runs[1].DGamma) && Identical($"dbeta {where}", runs[0].DBeta, runs[1].DBeta))
                .Label(where);
        });
    private sealed record Fused(float[] Y, float[] Dx, float[] DGamma, float[] DBeta);

    // max(0, batch norm) through the fused entries, or (composed) through the batch-norm and ReLU entries in turn.
    private static Fused ExecuteReLU(IBackend b, AxisGeometry g, bool training, bool composed, float[] x, float[] gamma, float[] beta,
        float[] dy, float[] mean, float[] variance)
    {
        var (xs, ms, vs, gs, bs, dys) = (Store(x), Store(mean), Store(variance), Store(gamma), Store(beta), Store(dy));
        var y = b.Allocate(g.Length);
        var (dx, dg, db) = (b.Allocate(g.Length), b.Allocate(g.Axis), b.Allocate(g.Axis));
        if (composed)
        {
            var (z, masked) = (b.Allocate(g.Length), b.Allocate(g.Length));
            b.BatchNormForward(g, 1e-5f, xs, ms, vs, gs, bs, z);
            b.Unary(UnaryOp.ReLU, 0f, z, y);
            b.UnaryBackward(UnaryOp.ReLU, 0f, y, y, dys, masked);
            b.BatchNormBackward(g, 1e-5f, training, xs, ms, vs, gs, masked, dx, dg, db);
        }
        else
        {
            b.BatchNormReLUForward(g, 1e-5f, xs, ms, vs, gs, bs, y);
            b.BatchNormReLUBackward(g, 1e-5f, training, xs, ms, vs, gs, y, dys, dx, dg, db);
        }
        return new Fused(Read(y), Read(dx), Read(dg), Read(db));
    }

    private static bool Same(string where, Fused a, Fused b) =>
        Identical($"y {where}", a.Y, b.Y) && Identical($"dx {where}", a.Dx, b.Dx)
        && Identical($"dgamma {where}", a.DGamma, b.DGamma) && Identical($"dbeta {where}", a.DBeta, b.DBeta);

    [Property(MaxTest = 200)]
    [Trait("Law", "BackendAgreement")]
    public Property Fused_batch_norm_and_relu_agree_with_reference_and_equal_the_two_entries_bit_for_bit() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var (g, training, seed) = c;
            var (x, gamma, beta, dy, mean, variance) = Data(g, seed);
            var reference = ExecuteReLU(Reference, g, training, false, x, gamma, beta, dy, mean, variance);
            var fused = ExecuteReLU(Cpu, g, training, false, x, gamma, beta, dy, mean, variance);
            var terms = g.Outer * g.Inner;
            var where = $"{g} training={training} seed={seed}";
            return (Identical($"y {where}", reference.Y, fused.Y) && Close($"dx {where}", reference.Dx, fused.Dx, terms)
                && Close($"dgamma {where}", reference.DGamma, fused.DGamma, terms) && Close($"dbeta {where}", reference.DBeta, fused.DBeta, terms)
                && Same($"fused vs composed on Cpu {where}", fused, ExecuteReLU(Cpu, g, training, true, x, gamma, beta, dy, mean, variance))
                && Same($"1 vs 3 threads {where}", ExecuteReLU(Threads[0], g, training, false, x, gamma, beta, dy, mean, variance),
                    ExecuteReLU(Threads[1], g, training, false, x, gamma, beta, dy, mean, variance)))
                .Label(where);
        });
}
