using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Backends.Ilgpu;
using Xunit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The ILGPU tiled GEMM agrees with the Reference backend on ILGPU's CPU accelerator: transposes, α, β (with C read
/// back), batches with strides, a shared B, offsets, K = 0, and extents on both sides of the tile edge.
/// </summary>
[Collection(IlgpuCollection.Name)]
public class IlgpuKernelGemm(IlgpuCpuAccelerator device)
{
    // Extents 1–24 straddle every tile edge the accelerators report (4, 8, 16) yet keep the simulated barriers few
    // (the time goes as M·N·K/edge³); K = 0 leaves α·0 + β·C.
    private static Gen<(GemmGeometry G, long Seed)> Gemms() =>
        from m in Gen.Choose(1, 24)
        from n in Gen.Choose(1, 24)
        from k in Gen.Frequency((1, Gen.Constant(0)), (9, Gen.Choose(1, 24)))
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

    [Property(MaxTest = 120)]
    [Trait("Law", "IlgpuKernel")]
    public Property Gemm_agrees_with_reference() =>
        Prop.ForAll(Gemms().ToArbitrary(), c =>
        {
            var g = c.G;
            var a = Values(g.OffsetA + g.Batch * g.StrideA, c.Seed);
            var b = Values(g.StrideB == 0 ? g.K * g.N : g.Batch * g.StrideB, c.Seed + 1);
            // β = 0 must not read C, which may come uninitialised: NaN there would leak into the product.
            var start = g.Beta == 0f ? Enumerable.Repeat(float.NaN, g.OffsetC + g.Batch * g.StrideC).ToArray()
                : Values(g.OffsetC + g.Batch * g.StrideC, c.Seed + 2);
            var expected = Store((float[])start.Clone());
            Reference.Gemm(g, Store(a), Store(b), expected);
            using var d = device.Buffers();
            var cd = d.Upload(start);
            GemmKernels.Gemm(device.Accelerator, g, d.Upload(a), d.Upload(b), cd);
            // Elements between the batch's matrices (the offsets' gaps) must come back untouched: Close compares all,
            // and with β = 0 every element of every matrix must be written (NaN only meets NaN in the gaps).
            return Close($"ilgpu gemm {g}", Read(expected), d.Read(cd), g.K + 2);
        });
}
