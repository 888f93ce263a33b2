using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The Cpu backend cuts work by geometry, never by thread count, so 1, 2 and 3 threads give the same bits. The
/// cases are large enough that the GEMM splits over threads and the filter gradient sums over chunks of images.
/// </summary>
public class BackendAgreementThreads
{
    private static readonly IBackend[] Backends = [ExecutionContext.Cpu(1).Backend, ExecutionContext.Cpu(2).Backend, ExecutionContext.Cpu(3).Backend];

    private static Gen<(ConvGeometry G, long Seed)> Large() =>
        from c in BackendAgreementConv.Geometries(maxBatch: 11)
        from width in Gen.Choose(4, 24)
        select (c.G with
        {
            InChannels = c.G.InChannels * width / c.G.Groups * c.G.Groups,
            OutChannels = c.G.OutChannels * width / c.G.Groups * c.G.Groups,
        }, c.Seed);

    // Depthwise and small-channel convs run direct kernels that Large() rarely reaches: unit-stride 2-d planes,
    // batches up to 11 (two chunks of the small-channel filter gradient), rows up to 40.
    private static Gen<(ConvGeometry G, long Seed)> Direct() =>
        from batch in Gen.Choose(1, 11)
        from depthwise in Gen.Elements(true, false)
        from cin in Gen.Choose(1, 12)
        from cout in Gen.Choose(1, 20)
        from h in Gen.Choose(3, 12)
        from w in Gen.Choose(3, 40)
        from k in Gen.Choose(2, 3)
        from pad in Gen.Choose(0, 1)
        from seed in Gen.Choose(0, 1_000_000)
        let ci = depthwise ? cin + 1 : cin
        select (new ConvGeometry(2, batch, ci, depthwise ? ci : cout, depthwise ? ci : 1, new Dims3(1, h, w), new Dims3(1, k, k), new Dims3(1, 1, 1),
            new Dims3(1, 1, 1), new Dims3(0, pad, pad), new Dims3(1, h + 2 * pad - k + 1, w + 2 * pad - k + 1)), (long)seed);

    private static float[][] Each(Func<IBackend, float[]> run) => Backends.Select(run).ToArray();

    private static bool AllIdentical(string what, float[][] results) =>
        results.Skip(1).All(r => Identical(what, results[0], r));

    [Property(MaxTest = 40)]
    [Trait("Law", "ThreadIndependence")]
    public Property Convolutions_give_identical_bits_for_1_2_and_3_threads() =>
        Prop.ForAll(Gen.OneOf(Large().Where(c => c.G.InChannels > 0 && c.G.OutChannels > 0), Direct()).ToArbitrary(), c =>
        {
            var g = c.G;
            var (x, w, b, dy) = (Store(Values(g.InputLength, c.Seed)), Store(Values(g.WeightLength, c.Seed + 1)),
                Store(Values(g.OutChannels, c.Seed + 2)), Store(Values(g.OutputLength, c.Seed + 3)));
            var forward = Each(be => { var y = be.Allocate(g.OutputLength); be.ConvForward(g, x, w, b, y); return Read(y); });
            var data = Each(be => { var dx = be.Allocate(g.InputLength); be.ConvBackwardData(g, dy, w, dx); return Read(dx); });
            var filter = Each(be =>
            {
                var (dw, db) = (be.Allocate(g.WeightLength), be.Allocate(g.OutChannels));
                be.ConvBackwardFilter(g, x, dy, dw, db);
                return [.. Read(dw), .. Read(db)];
            });
            return AllIdentical($"forward {g}", forward) && AllIdentical($"backward-data {g}", data) && AllIdentical($"backward-filter {g}", filter);
        });

    [Property(MaxTest = 40)]
    [Trait("Law", "ThreadIndependence")]
    public Property Gemm_gives_identical_bits_for_1_2_and_3_threads() =>
        Prop.ForAll(Gen.Choose(1, 200).ToArbitrary(), Gen.Choose(1, 300).ToArbitrary(), Gen.Choose(1, 700).ToArbitrary(), (m, n, k) =>
        {
            var g = new GemmGeometry(m, n, k, TransB: (m + n) % 2 == 0);
            var (a, b) = (Store(Values(m * k, m)), Store(Values(k * n, n)));
            return AllIdentical($"gemm {g}", Each(be => { var c = be.Allocate(m * n); be.Gemm(g, a, b, c); return Read(c); }));
        });

    // Element-wise maps cut at 32K elements, softmax and reductions at about 64K per chunk (or per 256 columns):
    // these sizes give several chunks, a ragged last one, and strided axes with partial column blocks.
    private static Gen<(int Outer, int Axis, int Inner, long Seed)> Spread() =>
        from outer in Gen.Choose(1, 40)
        from axis in Gen.Choose(1, 300)
        from inner in Gen.OneOf(Gen.Constant(1), Gen.Choose(2, 700))
        from seed in Gen.Choose(0, 1_000_000)
        where (long)outer * axis * inner <= 400_000
        select (outer, axis, inner, (long)seed);

    [Property(MaxTest = 40)]
    [Trait("Law", "ThreadIndependence")]
    public Property Elementwise_softmax_and_reductions_give_identical_bits_for_1_2_and_3_threads() =>
        Prop.ForAll(Spread().ToArbitrary(), Gen.Elements(UnaryOp.Exp, UnaryOp.Log, UnaryOp.Sigmoid, UnaryOp.Tanh, UnaryOp.ReLU).ToArbitrary(),
            Gen.Elements(false, true).ToArbitrary(), (c, op, log) =>
            {
                var g = new AxisGeometry(c.Outer, c.Axis, c.Inner);
                var (x, dy) = (Store(Extreme(g.Length, c.Seed)), Store(Values(g.Length, c.Seed + 1)));
                var unary = Each(be =>
                {
                    var (y, dx) = (be.Allocate(g.Length), be.Allocate(g.Length));
                    be.Unary(op, 0.3f, x, y);
                    be.UnaryBackward(op, 0.3f, x, y, dy, dx);
                    return [.. Read(y), .. Read(dx)];
                });
                var softmax = Each(be =>
                {
                    var (y, dx) = (be.Allocate(g.Length), be.Allocate(g.Length));
                    be.Softmax(g, log, x, y);
                    be.SoftmaxBackward(g, log, y, dy, dx);
                    return [.. Read(y), .. Read(dx)];
                });
                var max = Each(be =>
                {
                    var (y, k) = (be.Allocate(g.Outer * g.Inner), be.Allocate(g.Axis));
                    be.Reduce(ReduceOp.Max, g, x, false, y);
                    be.Reduce(ReduceOp.Max, g, x, true, k);
                    return [.. Read(y), .. Read(k)];
                });
                return AllIdentical($"{op} {g}", unary) && AllIdentical($"softmax log={log} {g}", softmax) && AllIdentical($"max {g}", max);
            });
}
