using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Backends.Ilgpu;
using Xunit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The ILGPU padding kernels agree with the Reference backend bit for bit on ILGPU's CPU accelerator, in every mode,
/// for 1-, 2- and 3-d planes with padding before and after drawn per dim (uneven), including padding wider than the
/// input where the mode allows it (replicate, zeros; circular up to n, reflect below n). Outputs start as NaN.
/// </summary>
[Collection(IlgpuCollection.Name)]
public class IlgpuKernelPad(IlgpuCpuAccelerator device)
{
    private static Gen<(PadGeometry G, PaddingMode Mode, long Seed)> Cases() =>
        from mode in Gen.Elements(Enum.GetValues<PaddingMode>())
        from rank in Gen.Choose(1, 3)
        from planes in Gen.Choose(1, 6)
        from dims in Gen.ArrayOf(Dim(mode), 3)
        from seed in Gen.Choose(0, 1_000_000)
        let d = dims.Select((v, i) => i < 3 - rank ? (N: 1, Before: 0, After: 0) : v).ToArray()
        select (new PadGeometry(planes, new Dims3(d[0].N, d[1].N, d[2].N), new Dims3(d[0].Before, d[1].Before, d[2].Before),
            new Dims3(d[0].N + d[0].Before + d[0].After, d[1].N + d[1].Before + d[1].After, d[2].N + d[2].Before + d[2].After)), mode, (long)seed);

    // Reflect needs p < n and circular p ≤ n (PyTorch's limits); zeros and replicate take any padding.
    private static Gen<(int N, int Before, int After)> Dim(PaddingMode mode) =>
        from n in Gen.Choose(1, 7)
        let most = mode switch { PaddingMode.Reflect => n - 1, PaddingMode.Circular => n, _ => 9 }
        from before in Gen.Choose(0, Math.Min(most, 4))
        from after in Gen.Choose(0, Math.Min(most, 4))
        select (n, before, after);

    [Property(MaxTest = 200)]
    [Trait("Law", "IlgpuKernel")]
    public Property Padding_agrees_with_reference_forward_and_adjoint_in_every_mode() =>
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var (g, mode) = (c.G, c.Mode);
            var (inLength, outLength) = (g.Planes * g.Input.Product, g.Planes * g.Output.Product);
            var (x, dy) = (Values(inLength, c.Seed), Values(outLength, c.Seed + 1));
            var (yr, dr) = (Reference.Allocate(outLength), Reference.Allocate(inLength));
            Reference.Pad(g, mode, Store(x), yr);
            Reference.PadBackward(g, mode, Store(dy), dr);
            using var d = device.Buffers();
            var (y, dx) = (d.Upload(Poison(outLength)), d.Upload(Poison(inLength)));
            PadKernels.Forward(device.Accelerator, g, mode, d.Upload(x), y);
            PadKernels.Backward(device.Accelerator, g, mode, d.Upload(dy), dx);
            return Identical($"ilgpu pad {mode} {g}", Read(yr), d.Read(y)) && Identical($"ilgpu pad backward {mode} {g}", Read(dr), d.Read(dx));
        });

    private static float[] Poison(int n) => Enumerable.Repeat(float.NaN, n).ToArray();
}
