using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Xunit;
using static Functional.Properties.BackendAgreementIlgpuKit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The ILGPU backend's padding, pooling (with its own device argmax) and GEMM entries agree with the Reference backend,
/// through the backend's storage and uninitialised outputs, on small shapes for the simulated GPU.
/// </summary>
public class BackendAgreementIlgpuPoolGemm
{
    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Pooling_agrees_with_reference_forward_and_through_the_device_argmax_backward() =>
        Prop.ForAll(BackendAgreementOps.Pools().ToArbitrary(), c =>
        {
            var g = c.G;
            var x = Values(g.InputLength, c.Seed);
            var dy = Values(g.OutputLength, c.Seed + 1);
            var max = g.Kind == PoolKind.Max;
            var (yr, yi) = (Reference.Allocate(g.OutputLength), Ilgpu.AllocateUninitialized(g.OutputLength));
            var (ar, ai) = (Reference.AllocateIndices(g.OutputLength), Ilgpu.AllocateIndices(g.OutputLength));
            Reference.PoolForward(g, Store(x), yr, max ? ar : null);
            Ilgpu.PoolForward(g, Store(x), yi, max ? ai : null);
            var (dr, di) = (Reference.Allocate(g.InputLength), Ilgpu.AllocateUninitialized(g.InputLength));
            Reference.PoolBackward(g, Store(dy), max ? ar : null, dr);
            Ilgpu.PoolBackward(g, Store(dy), max ? ai : null, di);
            // The backward reads the argmax the device wrote: a wrong index shows as a gradient in the wrong place.
            return Identical($"pool {g}", Read(yr), Read(yi)) && Identical($"pool backward {g}", Read(dr), Read(di));
        });

    private static Gen<(GemmGeometry G, long Seed)> Gemms() =>
        from m in Gen.Choose(1, 24)
        from n in Gen.Choose(1, 24)
        from k in Gen.Choose(0, 24)
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

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Gemm_agrees_with_reference() =>
        Prop.ForAll(Gemms().ToArbitrary(), c =>
        {
            var g = c.G;
            var a = Values(g.OffsetA + g.Batch * g.StrideA, c.Seed);
            var b = Values(g.StrideB == 0 ? g.K * g.N : g.Batch * g.StrideB, c.Seed + 1);
            var start = Values(g.OffsetC + g.Batch * g.StrideC, c.Seed + 2);
            var (cr, ci) = (Store((float[])start.Clone()), Ilgpu.Import(Store((float[])start.Clone())));
            Reference.Gemm(g, Store(a), Store(b), cr);
            Ilgpu.Gemm(g, Store(a), Store(b), ci);
            return Close($"gemm {g}", Read(cr), Read(ci), g.K + 2);
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "BackendAgreement")]
    public Property Padding_modes_agree_with_reference_forward_and_adjoint() =>
        Prop.ForAll(Gen.Choose(1, 9).ToArbitrary(), Gen.Choose(0, 3).ToArbitrary(), Gen.Elements(Enum.GetValues<PaddingMode>()).ToArbitrary(),
            (size, pad, mode) =>
            {
                var p = Math.Min(pad, mode == PaddingMode.Reflect ? size - 1 : size);
                var g = new PadGeometry(7, new Dims3(1, size, size + 1), new Dims3(0, p, p), new Dims3(1, size + 2 * p, size + 1 + 2 * p));
                var x = Values(g.InputLength, size * 31 + pad);
                var dy = Values(g.OutputLength, size * 37 + pad);
                var (yr, yi) = (Reference.Allocate(dy.Length), Ilgpu.AllocateUninitialized(dy.Length));
                Reference.Pad(g, mode, Store(x), yr);
                Ilgpu.Pad(g, mode, Store(x), yi);
                var (dr, di) = (Reference.Allocate(x.Length), Ilgpu.AllocateUninitialized(x.Length));
                Reference.PadBackward(g, mode, Store(dy), dr);
                Ilgpu.PadBackward(g, mode, Store(dy), di);
                return Close($"pad {mode} {g}", Read(yr), Read(yi), 1) && Close($"pad backward {mode}", Read(dr), Read(di), 9);
            });
}
