using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Backends.Ilgpu;
using Xunit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The ILGPU convolution kernels (implicit GEMMs on shared-memory tiles) agree with the Reference backend on ILGPU's
/// CPU accelerator: ranks 1–3, groups, depthwise, strides, dilations, uneven padding, with and without bias. Outputs
/// start as NaN, so an element the kernel skips fails the law.
/// </summary>
[Collection(IlgpuCollection.Name)]
public class IlgpuKernelConv(IlgpuCpuAccelerator device)
{
    // The shared conv generator at batch ≤ 2; a third of the cases made depthwise (one input channel per group) and
    // a third given 5–10 channels per group on both sides, so that the channel rows of each implicit GEMM reach the
    // second row of every thread's 2×2 register block (rows edge … 2·edge − 1) on the 4×4 groups used here. The
    // simulator spends tens of microseconds per thread and far more per barrier, so shapes stay small.
    private static Arbitrary<(ConvGeometry G, long Seed)> Cases() =>
        (from c in BackendAgreementConv.Geometries(maxBatch: 2)
         from kind in Gen.Elements(Drawn, Depthwise, Wide)
         from multiplier in Gen.Choose(1, 2)
         from inPer in Gen.Choose(5, 10)
         from outPer in Gen.Choose(5, 10)
         select kind switch
         {
             Depthwise => (c.G with { InChannels = c.G.Groups, OutChannels = c.G.Groups * multiplier }, c.Seed),
             Wide => (c.G with { InChannels = c.G.Groups * inPer, OutChannels = c.G.Groups * outPer }, c.Seed),
             _ => c,
         }).ToArbitrary();

    private const int Drawn = 0, Depthwise = 1, Wide = 2;

    private static float[] Poison(int n) => Enumerable.Repeat(float.NaN, n).ToArray();

    [Property(MaxTest = 120)]
    [Trait("Law", "IlgpuKernel")]
    public Property Conv_forward_agrees_with_reference() =>
        Prop.ForAll(Cases(), Gen.Elements(true, false).ToArbitrary(), (c, withBias) =>
        {
            var (x, w) = (Values(c.G.InputLength, c.Seed), Values(c.G.WeightLength, c.Seed + 1));
            var b = withBias ? Values(c.G.OutChannels, c.Seed + 2) : [];
            var expected = Reference.Allocate(c.G.OutputLength);
            Reference.ConvForward(c.G, Store(x), Store(w), withBias ? Store(b) : null, expected);
            using var d = device.Buffers();
            var y = d.Upload(Poison(c.G.OutputLength));
            ConvKernels.Forward(device.Accelerator, c.G, d.Upload(x), d.Upload(w), d.Upload(b), y);
            return Close($"ilgpu forward bias={withBias} {c.G}", Read(expected), d.Read(y), c.G.InPerGroup * c.G.Kernel.Product + 1);
        });

    [Property(MaxTest = 120)]
    [Trait("Law", "IlgpuKernel")]
    public Property Conv_backward_data_agrees_with_reference() =>
        Prop.ForAll(Cases(), c =>
        {
            var (dy, w) = (Values(c.G.OutputLength, c.Seed), Values(c.G.WeightLength, c.Seed + 1));
            var expected = Reference.Allocate(c.G.InputLength);
            Reference.ConvBackwardData(c.G, Store(dy), Store(w), expected);
            using var d = device.Buffers();
            var dx = d.Upload(Poison(c.G.InputLength));
            ConvKernels.BackwardData(device.Accelerator, c.G, d.Upload(dy), d.Upload(w), dx);
            return Close($"ilgpu backward-data {c.G}", Read(expected), d.Read(dx), c.G.OutPerGroup * c.G.Kernel.Product);
        });

    [Property(MaxTest = 120)]
    [Trait("Law", "IlgpuKernel")]
    public Property Conv_backward_filter_and_bias_agree_with_reference() =>
        Prop.ForAll(Cases(), Gen.Elements(true, false).ToArbitrary(), (c, withBias) =>
        {
            var (x, dy) = (Values(c.G.InputLength, c.Seed), Values(c.G.OutputLength, c.Seed + 1));
            var (dwR, dbR) = (Reference.Allocate(c.G.WeightLength), Reference.Allocate(c.G.OutChannels));
            Reference.ConvBackwardFilter(c.G, Store(x), Store(dy), dwR, dbR);
            using var d = device.Buffers();
            var (dw, db) = (d.Upload(Poison(c.G.WeightLength)), d.Upload(withBias ? Poison(c.G.OutChannels) : []));
            ConvKernels.BackwardFilter(device.Accelerator, c.G, d.Upload(x), d.Upload(dy), dw, db);
            var terms = c.G.Batch * c.G.Output.Product;
            return Close($"ilgpu backward-filter {c.G}", Read(dwR), d.Read(dw), terms)
                && (!withBias || Close($"ilgpu bias {c.G}", Read(dbR), d.Read(db), terms));
        });
}
