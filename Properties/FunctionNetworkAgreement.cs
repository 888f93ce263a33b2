using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Network;
using Functional.Properties.Support;
using Functional.Random;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Properties;

/// <summary>
/// A network of the modern layers (GroupNorm, GELU, SiLU, Hardswish, Mish, nearest and bilinear upsampling,
/// LayerNorm, Flatten with dims) gives the same loss, output and gradients on the Cpu and ILGPU backends as on
/// Reference: the layers are tensor functions, so this checks the function entries composed as training runs them.
/// Tolerance: each value sums a few dozen float terms, so 1e-4 relative bounds the reordering error with room.
/// </summary>
public class FunctionNetworkAgreement
{
    private static readonly Layer[] Activations = [GELU(), GELU(tanh: true), SiLU, Hardswish, Mish];

    private static Arbitrary<(int Batch, int Act, int Up, long Seed)> Cases =>
        (from b in Gen.Choose(1, 2) from a in Gen.Choose(0, Activations.Length - 1) from u in Gen.Choose(0, 2) from s in Gen.Choose(0, 100_000)
         select (b, a, u, (long)s)).ToArbitrary();

    [Property(MaxTest = 4)]
    [Trait("Law", "BackendAgreement")]
    public Property A_network_of_modern_layers_trains_alike_on_the_cpu_backend() =>
        Prop.ForAll(Cases, c => Agree(c, ExecutionContext.Cpu(2)));

    // One case: the CPU accelerator simulates every GPU thread, and the network launches a few hundred kernels.
    [Fact]
    [Trait("Law", "BackendAgreement")]
    public void A_network_of_modern_layers_trains_alike_on_the_ilgpu_backend() =>
        Agree((1, 0, 1, 7), ExecutionContext.Ilgpu(Backends.Ilgpu.IlgpuKind.Cpu));

    private static void Agree((int Batch, int Act, int Up, long Seed) c, ExecutionContext backend)
    {
        var up = c.Up switch { 0 => Upsample(2), 1 => UpsampleBilinear(2), _ => UpsampleBilinear(2, alignCorners: true) };
        var net = Conv(4, 3, padding: 1).Then(GroupNorm(2)).Then(Activations[c.Act]).Then(up).Then(InstanceNorm())
            .Then(LayerNorm()).Then(FlattenRange(1, 2)).Then(Flatten).Then(Dense(3));
        var x = Tensor.Uniform(Shape.Images(c.Batch, 1, 4, 4), Key.FromSeed(c.Seed), -2f, 2f);
        var labels = Enumerable.Range(0, c.Batch).Select(i => (int)((c.Seed + i) % 3)).ToArray();
        TrainingStep Step(ExecutionContext ctx) =>
            net.Init(Shape.Image(1, 4, 4), seed: (int)c.Seed, ctx).LossAndGradients(Loss.CrossEntropy, x, labels, Key.FromSeed(1));
        var expected = Step(ExecutionContext.Reference);
        var got = Step(backend);
        Expect.Near($"{backend} loss", got.Loss, expected.Loss, 1e-4, 1e-6);
        foreach (var leaf in expected.Gradients)
            Expect.Close($"{backend} gradient {leaf.Path}", Doubles(got.Gradients[leaf.Path]), Doubles(leaf.Value), 1e-4, 1e-5);
    }

    // Host copies, whichever backend holds the tensor.
    private static double[] Doubles(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();
}
