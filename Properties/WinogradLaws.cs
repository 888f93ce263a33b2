using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Backends.Cpu;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The Cpu backend runs unit-stride 3×3 convs with 16 or more channels through Winograd's F(4×4, 3×3)
/// (<see cref="Winograd"/>), whose transforms round differently from a direct sum. These laws hold it to the
/// Reference backend within the float32 tolerance of the other conv laws, keep a non-finite value to the outputs
/// whose window holds it, and check that the thread count never changes its bits.
/// </summary>
public class WinogradLaws
{
    /// <summary>Geometries the Winograd path takes, forward and for the input gradient: every tile edge and padding.</summary>
    public static Gen<(ConvGeometry G, long Seed)> Geometries() =>
        from batch in Gen.Choose(1, 3)
        from cin in Gen.Choose(16, 40)
        from cout in Gen.Choose(16, 40)
        from h in Gen.Choose(3, 21)
        from w in Gen.Choose(3, 21)
        from p0 in Gen.Choose(0, 2)
        from p1 in Gen.Choose(0, 2)
        from q0 in Gen.Choose(0, 2)
        from q1 in Gen.Choose(0, 2)
        from seed in Gen.Choose(0, 1_000_000)
        let g = new ConvGeometry(2, batch, cin, cout, 1, new Dims3(1, h, w), new Dims3(1, 3, 3), new Dims3(1, 1, 1), new Dims3(1, 1, 1),
            new Dims3(0, p0, q0), new Dims3(1, h + p0 + p1 - 2, w + q0 + q1 - 2))
        where g.Output.H >= 1 && g.Output.W >= 1 && Winograd.Applies(g) && Winograd.Applies(ConvFused.Flipped(g))
        select (g, (long)seed);

    private static readonly IBackend[] Threads = [ExecutionContext.Cpu(1).Backend, Cpu, ExecutionContext.Cpu(3).Backend];

    // x, w, bias and dy in [−1, 1) from the case's seed.
    private static (float[] X, float[] W, float[] B, float[] Dy) Data((ConvGeometry G, long Seed) c) =>
        (Values(c.G.InputLength, c.Seed), Values(c.G.WeightLength, c.Seed + 1), Values(c.G.OutChannels, c.Seed + 2), Values(c.G.OutputLength, c.Seed + 3));

    private static float[] Forward(IBackend backend, ConvGeometry g, float[] x, float[] w, float[] b, bool relu)
    {
        var y = backend.Allocate(g.OutputLength);
        if (relu) backend.ConvReLUForward(g, Store(x), Store(w), Store(b), y);
        else backend.ConvForward(g, Store(x), Store(w), Store(b), y);
        return Read(y);
    }

    private static float[] Filter(IBackend backend, ConvGeometry g, float[] x, float[] dy)
    {
        var (dw, db) = (backend.Allocate(g.WeightLength), backend.Allocate(g.OutChannels));
        backend.ConvBackwardFilter(g, Store(x), Store(dy), dw, db);
        return [.. Read(dw), .. Read(db)];
    }

    private static float[] Data(IBackend backend, ConvGeometry g, float[] dy, float[] w)
    {
        var dx = backend.Allocate(g.InputLength);
        backend.ConvBackwardData(g, Store(dy), Store(w), dx);
        return Read(dx);
    }

    [Property(MaxTest = 60)]
    [Trait("Law", "BackendAgreement")]
    public Property Forward_relu_and_both_gradients_agree_with_reference() =>
        Prop.ForAll(Geometries().ToArbitrary(), c =>
        {
            var g = c.G;
            var (x, w, b, dy) = Data(c);
            return Close("forward", Forward(Reference, g, x, w, b, false), Forward(Cpu, g, x, w, b, false), g.InChannels * 9)
                && Close("conv+relu", Forward(Reference, g, x, w, b, true), Forward(Cpu, g, x, w, b, true), g.InChannels * 9)
                && Close("input gradient", Data(Reference, g, dy, w), Data(Cpu, g, dy, w), g.OutChannels * 9)
                && Close("filter gradient", Filter(Reference, g, x, dy), Filter(Cpu, g, x, dy), g.Batch * g.Output.H * g.Output.W);
        });

    [Property(MaxTest = 40)]
    [Trait("Law", "NaNPropagation")]
    public Property A_non_finite_value_reaches_exactly_the_outputs_whose_window_holds_it() =>
        Prop.ForAll(Geometries().ToArbitrary(), Gen.Elements(float.NaN, float.PositiveInfinity, float.NegativeInfinity).ToArbitrary(),
            Gen.Elements(true, false).ToArbitrary(), (c, special, input) =>
            {
                var g = c.G;
                var (x, w, b, dy) = Data(c);
                // In x for the forward and the filter gradient, in dy for the input gradient. A non-finite weight, or dy
                // for the filter gradient, is not checked here: where it meets padding the Reference skips the product
                // and the GEMM paths multiply by zero.
                var target = input ? x : dy;
                target[(int)(c.Seed % target.Length)] = special;
                return Close("forward", Forward(Reference, g, x, w, b, false), Forward(Cpu, g, x, w, b, false), g.InChannels * 9)
                    && Close("input gradient", Data(Reference, g, dy, w), Data(Cpu, g, dy, w), g.OutChannels * 9)
                    && (!input || Close("filter gradient", Filter(Reference, g, x, dy), Filter(Cpu, g, x, dy), g.Batch * g.Output.H * g.Output.W));
            });

    [Property(MaxTest = 20)]
    [Trait("Law", "ThreadIndependence")]
    public Property One_two_and_three_threads_give_identical_bits() =>
        Prop.ForAll(Geometries().ToArbitrary(), c =>
        {
            var g = c.G;
            var (x, w, b, dy) = Data(c);
            var forward = Threads.Select(t => Forward(t, g, x, w, b, true)).ToArray();
            var data = Threads.Select(t => Data(t, g, dy, w)).ToArray();
            var filter = Threads.Select(t => Filter(t, g, x, dy)).ToArray();
            return forward.Skip(1).All(r => Identical("forward", forward[0], r)) && data.Skip(1).All(r => Identical("input gradient", data[0], r))
                && filter.Skip(1).All(r => Identical("filter gradient", filter[0], r));
        });
}
