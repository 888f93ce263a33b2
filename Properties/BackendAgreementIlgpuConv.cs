using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using static Functional.Properties.BackendAgreementIlgpuKit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The ILGPU backend's conv entries agree with the Reference backend, through the backend itself (its device storage
/// and its uninitialised outputs) rather than the static kernels, on the Cpu conv laws' geometries (at most two
/// images, to keep the simulated GPU quick) and with their tolerances.
/// </summary>
public class BackendAgreementIlgpuConv
{
    private static Arbitrary<(ConvGeometry G, long Seed)> Cases() => BackendAgreementConv.Geometries(maxBatch: 2).ToArbitrary();

    private static TensorStorage Garbage(int length) => Store(Enumerable.Repeat(float.NaN, length).ToArray());

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Conv_forward_agrees_with_reference() =>
        Prop.ForAll(Cases(), c =>
        {
            var (x, w, b) = (Values(c.G.InputLength, c.Seed), Values(c.G.WeightLength, c.Seed + 1), Values(c.G.OutChannels, c.Seed + 2));
            var (expected, actual) = (Garbage(c.G.OutputLength), Ilgpu.AllocateUninitialized(c.G.OutputLength));
            Reference.ConvForward(c.G, Store(x), Store(w), Store(b), expected);
            Ilgpu.ConvForward(c.G, Store(x), Store(w), Store(b), actual);
            return Close($"forward {c.G}", Read(expected), Read(actual), c.G.InPerGroup * c.G.Kernel.Product);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Conv_backward_data_agrees_with_reference() =>
        Prop.ForAll(Cases(), c =>
        {
            var (dy, w) = (Values(c.G.OutputLength, c.Seed), Values(c.G.WeightLength, c.Seed + 1));
            var (expected, actual) = (Garbage(c.G.InputLength), Ilgpu.AllocateUninitialized(c.G.InputLength));
            Reference.ConvBackwardData(c.G, Store(dy), Store(w), expected);
            Ilgpu.ConvBackwardData(c.G, Store(dy), Store(w), actual);
            return Close($"backward-data {c.G}", Read(expected), Read(actual), c.G.OutPerGroup * c.G.Kernel.Product);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Conv_backward_filter_and_bias_agree_with_reference() =>
        Prop.ForAll(Cases(), c =>
        {
            var (x, dy) = (Values(c.G.InputLength, c.Seed), Values(c.G.OutputLength, c.Seed + 1));
            var (dwR, dwI) = (Garbage(c.G.WeightLength), Ilgpu.AllocateUninitialized(c.G.WeightLength));
            var (dbR, dbI) = (Garbage(c.G.OutChannels), Ilgpu.AllocateUninitialized(c.G.OutChannels));
            Reference.ConvBackwardFilter(c.G, Store(x), Store(dy), dwR, dbR);
            Ilgpu.ConvBackwardFilter(c.G, Store(x), Store(dy), dwI, dbI);
            var terms = c.G.Batch * c.G.Output.Product;
            return Close($"backward-filter {c.G}", Read(dwR), Read(dwI), terms) && Close($"bias {c.G}", Read(dbR), Read(dbI), terms);
        });
}
