using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// Filters of 300–400 channels in and out: their per-chunk partials would outweigh the filter, so the Cpu backend
/// sums the whole batch in one GEMM split over dW's tiles. The sum must still agree with Reference and give the same
/// bits for any thread count, through both the fused (unit stride along W) and the im2col path.
/// </summary>
public class BackendAgreementLargeFilter
{
    private static Gen<(ConvGeometry G, long Seed)> Cases() =>
        from batch in Gen.Choose(8, 10)
        from cin in Gen.Choose(300, 400)
        from cout in Gen.Choose(300, 400)
        from size in Gen.Choose(3, 5)
        from stride in Gen.Choose(1, 2)
        from seed in Gen.Choose(0, 1_000_000)
        let o = (size + 2 - 3) / stride + 1
        select (new ConvGeometry(2, batch, cin, cout, 1, new Dims3(1, size, size), new Dims3(1, 3, 3), new Dims3(1, stride, stride),
            new Dims3(1, 1, 1), new Dims3(0, 1, 1), new Dims3(1, o, o)), (long)seed);

    private static float[] Filter(IBackend backend, in ConvGeometry g, TensorStorage x, TensorStorage dy)
    {
        var (dw, db) = (backend.Allocate(g.WeightLength), backend.Allocate(g.OutChannels));
        backend.ConvBackwardFilter(g, x, dy, dw, db);
        return [.. Read(dw), .. Read(db)];
    }

    [Property(MaxTest = 6)]
    [Trait("Law", "BackendAgreement")]
    public Property Large_filter_gradients_agree_with_reference_and_across_thread_counts() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var (x, dy) = (Store(Values(c.G.InputLength, c.Seed)), Store(Values(c.G.OutputLength, c.Seed + 1)));
            var reference = Filter(Reference, c.G, x, dy);
            var threads = new[] { 1, 2, 3 }.Select(t => Filter(ExecutionContext.Cpu(t).Backend, c.G, x, dy)).ToArray();
            return Close($"backward-filter {c.G}", reference, threads[1], c.G.Batch * c.G.Output.Product)
                && Identical($"1 vs 2 threads {c.G}", threads[0], threads[1]) && Identical($"3 vs 2 threads {c.G}", threads[2], threads[1]);
        });
}
