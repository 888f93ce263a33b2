using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>The Cpu backend's convolutions agree with the Reference backend on generated geometries.</summary>
public class BackendAgreementConv
{
    /// <summary>
    /// A valid conv: rank 1–3, 1–3 images, 1–3 groups (one input channel per group gives the depthwise kernels),
    /// kernel, stride, dilation and padding before and after drawn per spatial dim, the output from the formula.
    /// </summary>
    public static Gen<(ConvGeometry G, long Seed)> Geometries(int maxBatch = 3) =>
        from rank in Gen.Choose(1, 3)
        from batch in Gen.Choose(1, maxBatch)
        from groups in Gen.Choose(1, 3)
        from inPer in Gen.Choose(1, 3)
        from outPer in Gen.Choose(1, 3)
        from d0 in Dim(5)
        from d1 in Dim(rank == 3 ? 5 : 9)
        from d2 in Dim(rank == 3 ? 5 : 9)
        from seed in Gen.Choose(0, 1_000_000)
        let lead = 3 - rank
        let d = new[] { d0, d1, d2 }.Select((v, i) => i < lead ? (I: 1, K: 1, S: 1, Dil: 1, P0: 0, O: 1) : v).ToArray()
        select (new ConvGeometry(rank, batch, groups * inPer, groups * outPer, groups,
            new Dims3(d[0].I, d[1].I, d[2].I), new Dims3(d[0].K, d[1].K, d[2].K), new Dims3(d[0].S, d[1].S, d[2].S),
            new Dims3(d[0].Dil, d[1].Dil, d[2].Dil), new Dims3(d[0].P0, d[1].P0, d[2].P0), new Dims3(d[0].O, d[1].O, d[2].O)),
            (long)seed);

    // One spatial dim: input, kernel, stride, dilation, padding before; padding after only changes the output extent.
    private static Gen<(int I, int K, int S, int Dil, int P0, int O)> Dim(int maxInput) =>
        from k in Gen.Choose(1, 4)
        from s in Gen.Choose(1, 3)
        from dil in Gen.Choose(1, 2)
        from p0 in Gen.Choose(0, 2)
        from p1 in Gen.Choose(0, 2)
        from i in Gen.Choose(1, maxInput)
        let o = (i + p0 + p1 - dil * (k - 1) - 1) / s + 1
        where i + p0 + p1 - dil * (k - 1) - 1 >= 0 && o >= 1
        select (i, k, s, dil, p0, o);

    private static Arbitrary<(ConvGeometry G, long Seed)> Cases() =>
        Gen.OneOf(Geometries(), Pointwise(), Depthwise(), Wide(), StridedWide(), DepthwisePlanes(), DepthwiseStrided(), SmallChannels()).ToArbitrary();

    // Depthwise rows wide enough for the eight-wide vector path and its borders, mostly at unit stride.
    private static Gen<(ConvGeometry G, long Seed)> Depthwise() =>
        from g in Geometries()
        from channels in Gen.Choose(2, 4)
        from multiplier in Gen.Choose(1, 2)
        from w in Gen.Choose(8, 40)
        from k in Gen.Choose(1, 5)
        from dil in Gen.Choose(1, 2)
        from p0 in Gen.Choose(0, 3)
        from p1 in Gen.Choose(0, 3)
        from unit in Gen.Elements(true, true, false)
        let s = unit ? 1 : 2
        let span = w + p0 + p1 - dil * (k - 1) - 1
        where span >= 0
        select (g.G with
        {
            InChannels = channels, OutChannels = channels * multiplier, Groups = channels,
            Input = g.G.Input with { W = w }, Kernel = g.G.Kernel with { W = k }, Dilation = g.G.Dilation with { W = dil },
            PadBefore = g.G.PadBefore with { W = p0 }, Output = g.G.Output with { W = span / s + 1 },
            Stride = unit ? new Dims3(1, 1, 1) : g.G.Stride with { W = s },
        }, g.Seed);

    // Dense convs with rows of 8–40 outputs and 4–16 channels per group: the fused GEMM packs whole 16-column
    // slivers and 8×8 transposed blocks straight from the padded input only when rows and taps are this wide.
    private static Gen<(ConvGeometry G, long Seed)> Wide() =>
        from g in Geometries()
        from groups in Gen.Choose(1, 2)
        from inPer in Gen.Choose(4, 16)
        from outPer in Gen.Choose(1, 9)
        from w in Gen.Choose(8, 40)
        from k in Gen.Choose(1, 4)
        from dil in Gen.Choose(1, 2)
        from p0 in Gen.Choose(0, 3)
        from p1 in Gen.Choose(0, 3)
        let span = w + p0 + p1 - dil * (k - 1) - 1
        where span >= 0
        select (g.G with
        {
            InChannels = groups * inPer, OutChannels = groups * outPer, Groups = groups,
            Input = g.G.Input with { W = w }, Kernel = g.G.Kernel with { W = k }, Dilation = g.G.Dilation with { W = dil },
            PadBefore = g.G.PadBefore with { W = p0 }, Output = g.G.Output with { W = span + 1 },
            Stride = g.G.Stride with { W = 1 },
        }, g.Seed);

    // Dense convs strided 2 or 3 along W with 8–40 outputs per row: the padded copy is split into stride phases, so
    // these pack whole vectors too, including the phases' ragged ends and taps that land in the last phase.
    private static Gen<(ConvGeometry G, long Seed)> StridedWide() =>
        from g in Geometries()
        from inPer in Gen.Choose(4, 16)
        from outPer in Gen.Choose(1, 9)
        from s in Gen.Choose(2, 3)
        from ow in Gen.Choose(8, 40)
        from k in Gen.Choose(1, 4)
        from dil in Gen.Choose(1, 2)
        from p0 in Gen.Choose(0, 3)
        from p1 in Gen.Choose(0, 3)
        from extra in Gen.Choose(0, 2)
        let w = (ow - 1) * s + dil * (k - 1) + 1 - p0 - p1 + Math.Min(extra, s - 1)
        where w >= 1
        select (g.G with
        {
            InChannels = inPer, OutChannels = outPer, Groups = 1,
            Input = g.G.Input with { W = w }, Kernel = g.G.Kernel with { W = k }, Dilation = g.G.Dilation with { W = dil },
            PadBefore = g.G.PadBefore with { W = p0 }, Output = g.G.Output with { W = ow }, Stride = g.G.Stride with { W = s },
        }, g.Seed);

    // Unit-stride 2-d depthwise planes, 3×3 most often: the register-blocked kernels, with rows narrower than,
    // equal to and wider than a vector, tails, dilation and padding larger than the kernel's reach.
    private static Gen<(ConvGeometry G, long Seed)> DepthwisePlanes() =>
        from batch in Gen.Choose(1, 3)
        from channels in Gen.Choose(2, 4)
        from multiplier in Gen.Choose(1, 3)
        from h in Gen.Choose(1, 12)
        from w in Gen.Choose(1, 40)
        from kh in Gen.Elements(1, 2, 3, 3, 3, 5)
        from kw in Gen.Elements(1, 2, 3, 3, 3, 5)
        from dil in Gen.Choose(1, 2)
        from pads in Gen.ArrayOf(Gen.Choose(0, 3), 4)
        from seed in Gen.Choose(0, 1_000_000)
        let oh = h + pads[0] + pads[1] - dil * (kh - 1)
        let ow = w + pads[2] + pads[3] - dil * (kw - 1)
        where oh >= 1 && ow >= 1
        select (new ConvGeometry(2, batch, channels, channels * multiplier, channels, new Dims3(1, h, w), new Dims3(1, kh, kw),
            new Dims3(1, 1, 1), new Dims3(1, dil, dil), new Dims3(0, pads[0], pads[2]), new Dims3(1, oh, ow)), (long)seed);

    // 2-d depthwise planes strided 2 along W (1 or 2 along H): the phase-plane kernels, with rows narrower than,
    // equal to and wider than a vector, odd and even widths and padding, dilation, and taps landing in either phase.
    private static Gen<(ConvGeometry G, long Seed)> DepthwiseStrided() =>
        from batch in Gen.Choose(1, 3)
        from channels in Gen.Choose(2, 4)
        from multiplier in Gen.Choose(1, 2)
        from h in Gen.Choose(1, 12)
        from w in Gen.Choose(1, 60)
        from kh in Gen.Elements(1, 2, 3, 3, 3, 5)
        from kw in Gen.Elements(1, 2, 3, 3, 3, 5)
        from sh in Gen.Choose(1, 2)
        from dil in Gen.Choose(1, 2)
        from pads in Gen.ArrayOf(Gen.Choose(0, 3), 4)
        from seed in Gen.Choose(0, 1_000_000)
        let spanH = h + pads[0] + pads[1] - dil * (kh - 1) - 1
        let spanW = w + pads[2] + pads[3] - dil * (kw - 1) - 1
        where spanH >= 0 && spanW >= 0
        select (new ConvGeometry(2, batch, channels, channels * multiplier, channels, new Dims3(1, h, w), new Dims3(1, kh, kw),
            new Dims3(1, sh, 2), new Dims3(1, dil, dil), new Dims3(0, pads[0], pads[2]), new Dims3(1, spanH / sh + 1, spanW / 2 + 1)), (long)seed);

    // Ungrouped 2-d convs with few channels and rows up to 40 wide (LeNet-like layers): the direct small-channel
    // kernels, with channel counts on both sides of their six-channel tile (one and two channels run alone) and rows
    // on both sides of 16 and 32.
    private static Gen<(ConvGeometry G, long Seed)> SmallChannels() =>
        from batch in Gen.Choose(1, 3)
        from cin in Gen.Elements(1, 2, 3, 6, 8)
        from cout in Gen.Elements(1, 2, 5, 6, 7, 12, 16, 20)
        from h in Gen.Choose(1, 12)
        from w in Gen.OneOf(Gen.Choose(1, 20), Gen.Choose(28, 40))
        from kh in Gen.Choose(1, 5)
        from kw in Gen.Choose(1, 5)
        from sh in Gen.Elements(1, 1, 2)
        from dil in Gen.Elements(1, 1, 2)
        from pads in Gen.ArrayOf(Gen.Choose(0, 3), 4)
        from seed in Gen.Choose(0, 1_000_000)
        let spanH = h + pads[0] + pads[1] - dil * (kh - 1) - 1
        let ow = w + pads[2] + pads[3] - dil * (kw - 1)
        where spanH >= 0 && ow >= 1
        select (new ConvGeometry(2, batch, cin, cout, 1, new Dims3(1, h, w), new Dims3(1, kh, kw), new Dims3(1, sh, 1),
            new Dims3(1, dil, dil), new Dims3(0, pads[0], pads[2]), new Dims3(1, spanH / sh + 1, ow)), (long)seed);

    // 1×1 unit-stride convs take the no-copy GEMM path, which random geometries rarely hit.
    private static Gen<(ConvGeometry G, long Seed)> Pointwise() =>
        from g in Geometries()
        select (g.G with { Kernel = new Dims3(1, 1, 1), Stride = new Dims3(1, 1, 1), PadBefore = new Dims3(0, 0, 0), Output = g.G.Input }, g.Seed);

    private static int Terms(in ConvGeometry g) => g.InPerGroup * g.Kernel.Product;

    // Outputs start as NaN: conv kernels must write every element, because Conv hands them uncleared buffers.
    private static TensorStorage Garbage(int length) => Store(Enumerable.Repeat(float.NaN, length).ToArray());

    [Property(MaxTest = 300)]
    [Trait("Law", "BackendAgreement")]
    public Property Conv_forward_agrees_with_reference() =>
        Prop.ForAll(Cases(), c =>
        {
            var (x, w, b) = (Values(c.G.InputLength, c.Seed), Values(c.G.WeightLength, c.Seed + 1), Values(c.G.OutChannels, c.Seed + 2));
            var (expected, actual) = (Garbage(c.G.OutputLength), Garbage(c.G.OutputLength));
            Reference.ConvForward(c.G, Store(x), Store(w), Store(b), expected);
            Cpu.ConvForward(c.G, Store(x), Store(w), Store(b), actual);
            return Close($"forward {c.G}", Read(expected), Read(actual), Terms(c.G));
        });

    // The inference plan's conv with the ReLU run inside its kernels (GEMM tiles, depthwise planes, small-channel
    // rows): close to the Reference conv then ReLU, and the same bits as the Cpu backend's own conv then ReLU entry.
    [Property(MaxTest = 300)]
    [Trait("Law", "BackendAgreement")]
    public Property Conv_with_fused_ReLU_agrees_with_conv_then_ReLU() =>
        Prop.ForAll(Cases(), c =>
        {
            var (x, w, b) = (Values(c.G.InputLength, c.Seed), Values(c.G.WeightLength, c.Seed + 1), Values(c.G.OutChannels, c.Seed + 2));
            var (expected, unfused, fused) = (Garbage(c.G.OutputLength), Garbage(c.G.OutputLength), Garbage(c.G.OutputLength));
            Reference.ConvForward(c.G, Store(x), Store(w), Store(b), expected);
            Reference.Unary(UnaryOp.ReLU, 0f, expected, expected);
            Cpu.ConvForward(c.G, Store(x), Store(w), Store(b), unfused);
            Cpu.Unary(UnaryOp.ReLU, 0f, unfused, unfused);
            Cpu.ConvReLUForward(c.G, Store(x), Store(w), Store(b), fused);
            return Close($"fused ReLU {c.G}", Read(expected), Read(fused), Terms(c.G))
                && Read(unfused).Select(BitConverter.SingleToInt32Bits).SequenceEqual(Read(fused).Select(BitConverter.SingleToInt32Bits));
        });

    [Property(MaxTest = 300)]
    [Trait("Law", "BackendAgreement")]
    public Property Conv_backward_data_agrees_with_reference() =>
        Prop.ForAll(Cases(), c =>
        {
            var (dy, w) = (Values(c.G.OutputLength, c.Seed), Values(c.G.WeightLength, c.Seed + 1));
            var (expected, actual) = (Garbage(c.G.InputLength), Garbage(c.G.InputLength));
            Reference.ConvBackwardData(c.G, Store(dy), Store(w), expected);
            Cpu.ConvBackwardData(c.G, Store(dy), Store(w), actual);
            return Close($"backward-data {c.G}", Read(expected), Read(actual), c.G.OutPerGroup * c.G.Kernel.Product);
        });

    [Property(MaxTest = 300)]
    [Trait("Law", "BackendAgreement")]
    public Property Conv_backward_filter_and_bias_agree_with_reference() =>
        Prop.ForAll(Cases(), c =>
        {
            var (x, dy) = (Values(c.G.InputLength, c.Seed), Values(c.G.OutputLength, c.Seed + 1));
            var (dwR, dwC) = (Garbage(c.G.WeightLength), Garbage(c.G.WeightLength));
            var (dbR, dbC) = (Garbage(c.G.OutChannels), Garbage(c.G.OutChannels));
            Reference.ConvBackwardFilter(c.G, Store(x), Store(dy), dwR, dbR);
            Cpu.ConvBackwardFilter(c.G, Store(x), Store(dy), dwC, dbC);
            var terms = c.G.Batch * c.G.Output.Product;
            return Close($"backward-filter {c.G}", Read(dwR), Read(dwC), terms) && Close($"bias {c.G}", Read(dbR), Read(dbC), terms);
        });
}
