using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Backends.Ilgpu;
using Xunit;
using static Functional.Properties.BackendAgreementKit;

namespace Functional.Properties;

/// <summary>
/// The ILGPU kernels give the same bits run after run: every output element is summed by one thread in a fixed
/// order, with no atomics. The CPU accelerator's parallel mode schedules its simulated threads differently each
/// run, so a race or an order that depended on scheduling would show here. The second run's outputs start from
/// different garbage (NaN, then 7), so an element left unwritten differs too.
/// </summary>
[Collection(IlgpuCollection.Name)]
public class IlgpuKernelDeterminism(IlgpuCpuAccelerator device)
{
    [Property(MaxTest = 30)]
    [Trait("Law", "IlgpuKernel")]
    public Property Conv_and_gemm_give_the_same_bits_twice() =>
        Prop.ForAll(BackendAgreementConv.Geometries(maxBatch: 2).ToArbitrary(), c =>
        {
            var g = c.G;
            var (x, w, b, dy) = (Values(g.InputLength, c.Seed), Values(g.WeightLength, c.Seed + 1), Values(g.OutChannels, c.Seed + 2),
                Values(g.OutputLength, c.Seed + 3));
            var gemm = new GemmGeometry(g.OutChannels, g.OutputLength / g.OutChannels, g.WeightLength / g.OutChannels, TransB: true, Beta: 0.5f);
            float[][] Run(float fill)
            {
                using var d = device.Buffers();
                var (y, dx, dw, db) = (d.Upload(Fill(g.OutputLength, fill)), d.Upload(Fill(g.InputLength, fill)),
                    d.Upload(Fill(g.WeightLength, fill)), d.Upload(Fill(g.OutChannels, fill)));
                var cg = d.Upload(Values(gemm.M * gemm.N, c.Seed + 4));
                ConvKernels.Forward(device.Accelerator, g, d.Upload(x), d.Upload(w), d.Upload(b), y);
                ConvKernels.BackwardData(device.Accelerator, g, d.Upload(dy), d.Upload(w), dx);
                ConvKernels.BackwardFilter(device.Accelerator, g, d.Upload(x), d.Upload(dy), dw, db);
                GemmKernels.Gemm(device.Accelerator, gemm, d.Upload(w), d.Upload(Values(gemm.N * gemm.K, c.Seed + 5)), cg);
                return [d.Read(y), d.Read(dx), d.Read(dw), d.Read(db), d.Read(cg)];
            }
            var (first, second) = (Run(float.NaN), Run(7f));
            return first.Zip(second).Select((p, i) => Identical($"ilgpu run twice, output {i} of {g}", p.First, p.Second)).All(ok => ok);
        });

    [Property(MaxTest = 30)]
    [Trait("Law", "IlgpuKernel")]
    public Property Pool_and_pad_backward_gathers_give_the_same_bits_twice() =>
        Prop.ForAll(BackendAgreementOps.Pools().ToArbitrary(), Gen.Elements(Enum.GetValues<PaddingMode>()).ToArbitrary(), (c, mode) =>
        {
            var g = c.G;
            // Only max pooling takes an argmax buffer (the seam checks refuse one for the average kinds).
            var argmax = g.Kind == PoolKind.Max ? Reference.AllocateIndices(g.OutputLength) : null;
            Reference.PoolForward(g, Store(Values(g.InputLength, c.Seed)), Reference.Allocate(g.OutputLength), argmax);
            var pad = new PadGeometry(g.Planes, g.Input, new Dims3(0, 1, Math.Min(2, g.Input.W - (mode == PaddingMode.Reflect ? 1 : 0))),
                new Dims3(g.Input.D, g.Input.H + 2, g.Input.W + 3));
            var dy = Values(Math.Max(g.OutputLength, pad.Planes * pad.Output.Product), c.Seed + 1);
            float[][] Run(float fill)
            {
                using var d = device.Buffers();
                var (dxPool, dxPad) = (d.Upload(Fill(g.InputLength, fill)), d.Upload(Fill(g.InputLength, fill)));
                PoolKernels.Backward(device.Accelerator, g, d.Upload(dy[..g.OutputLength]),
                    d.Upload(argmax is HostIndexStorage a ? a.Data : []), dxPool);
                PadKernels.Backward(device.Accelerator, pad, mode, d.Upload(dy[..(pad.Planes * pad.Output.Product)]), dxPad);
                return [d.Read(dxPool), d.Read(dxPad)];
            }
            var (first, second) = (Run(float.NaN), Run(7f));
            return Identical($"ilgpu pool backward twice {g}", first[0], second[0]) && Identical($"ilgpu pad backward twice {mode}", first[1], second[1]);
        });

    private static float[] Fill(int n, float value) => Enumerable.Repeat(value, n).ToArray();
}
