using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Backends.Ilgpu;
using Xunit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The ILGPU pooling kernels agree with the Reference backend bit for bit on ILGPU's CPU accelerator: max (with its
/// argmax, ties, infinities and NaNs), average with and without count_include_pad, adaptive average, stride,
/// padding, dilation, ceil mode, 2-d and 3-d planes. The backward is a gather; its dx starts as NaN.
/// </summary>
[Collection(IlgpuCollection.Name)]
public class IlgpuKernelPool(IlgpuCpuAccelerator device)
{
    [Property(MaxTest = 150)]
    [Trait("Law", "IlgpuKernel")]
    public Property Pooling_agrees_with_reference_forward_argmax_and_backward() =>
        Prop.ForAll(BackendAgreementOps.Pools().ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), (c, few) =>
        {
            var g = c.G;
            var max = g.Kind == PoolKind.Max;
            // Max pooling sees inputs from a few values half the time: ties, ±0, ±∞ and NaNs of two payloads.
            var x = max && few ? FewValues(g.InputLength, c.Seed) : Values(g.InputLength, c.Seed);
            var dy = Values(g.OutputLength, c.Seed + 1);
            var (yr, ar) = (Reference.Allocate(g.OutputLength), Reference.AllocateIndices(g.OutputLength));
            Reference.PoolForward(g, Store(x), yr, max ? ar : null);
            var dr = Reference.Allocate(g.InputLength);
            Reference.PoolBackward(g, Store(dy), max ? ar : null, dr);
            var expectedArgmax = ((HostIndexStorage)ar).Data;

            using var d = device.Buffers();
            var (y, argmax) = (d.Upload(Poison(g.OutputLength)), d.Upload(max ? Enumerable.Repeat(-7, g.OutputLength).ToArray() : []));
            PoolKernels.Forward(device.Accelerator, g, d.Upload(x), y, argmax);
            var dx = d.Upload(Poison(g.InputLength));
            // The backward reads the Reference argmax, so a forward argmax bug cannot hide a backward one.
            PoolKernels.Backward(device.Accelerator, g, d.Upload(dy), d.Upload(max ? expectedArgmax : []), dx);
            return Identical($"ilgpu pool {g}", Read(yr), d.Read(y)) && Identical($"ilgpu pool backward {g}", Read(dr), d.Read(dx))
                && (!max || d.Read(argmax).SequenceEqual(expectedArgmax));
        });

    [Property(MaxTest = 100)]
    [Trait("Law", "IlgpuKernel")]
    public Property Max_pooling_without_argmax_gives_the_same_values() =>
        Prop.ForAll(BackendAgreementOps.Pools().Where(c => c.G.Kind == PoolKind.Max).ToArbitrary(), c =>
        {
            var g = c.G;
            var x = FewValues(g.InputLength, c.Seed);
            var yr = Reference.Allocate(g.OutputLength);
            Reference.PoolForward(g, Store(x), yr, Reference.AllocateIndices(g.OutputLength));
            using var d = device.Buffers();
            var y = d.Upload(Poison(g.OutputLength));
            PoolKernels.Forward(device.Accelerator, g, d.Upload(x), y, d.Upload(Array.Empty<int>()));
            return Identical($"ilgpu max pool without argmax {g}", Read(yr), d.Read(y));
        });

    private static float[] Poison(int n) => Enumerable.Repeat(float.NaN, n).ToArray();
}
