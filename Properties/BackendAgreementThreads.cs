using ExecutionContext = Functional.Backends.ExecutionContext;
using FsCheck;
using FsCheck.Fluent;
using Functional.Backends;
using Xunit;
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

    private static float[][] Each(Func<IBackend, float[]> run) => Backends.Select(run).ToArray();

    private static bool AllIdentical(string what, float[][] results) =>
        results.Skip(1).All(r => Identical(what, results[0], r));

    [Fact]
    [Trait("Law", "ThreadIndependence")]
    public void Convolutions_give_identical_bits_for_1_2_and_3_threads() =>
        Prop.ForAll(Large().Where(c => c.G.InChannels > 0 && c.G.OutChannels > 0).ToArbitrary(), c =>
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
        }).Check(Seeded(40, 101));

    [Fact]
    [Trait("Law", "ThreadIndependence")]
    public void Gemm_gives_identical_bits_for_1_2_and_3_threads() =>
        Prop.ForAll(Gen.Choose(1, 200).ToArbitrary(), Gen.Choose(1, 300).ToArbitrary(), Gen.Choose(1, 700).ToArbitrary(), (m, n, k) =>
        {
            var g = new GemmGeometry(m, n, k, TransB: (m + n) % 2 == 0);
            var (a, b) = (Store(Values(m * k, m)), Store(Values(k * n, n)));
            return AllIdentical($"gemm {g}", Each(be => { var c = be.Allocate(m * n); be.Gemm(g, a, b, c); return Read(c); }));
        }).Check(Seeded(40, 102));
}
