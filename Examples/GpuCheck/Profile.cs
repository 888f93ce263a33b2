using Functional.Benchmarks;

namespace Functional.GpuCheck;

/// <summary>
/// How large the checked work is. A GPU runs the shapes of <c>./build.sh bench</c> (smaller batches with
/// <c>--quick</c>); ILGPU's CPU accelerator simulates a GPU one thread at a time (about 1–2 million multiply-adds a
/// second), so there every workload shrinks to a few thousand elements: it proves the kernels load and agree, and its
/// timings say nothing about a GPU.
/// </summary>
/// <param name="Name">How the report names the profile.</param>
/// <param name="AgreementBatch">The largest batch of the conv, pooling and normalisation agreement checks.</param>
/// <param name="Channels">The most channels an agreement conv keeps.</param>
/// <param name="Side">The largest image side an agreement conv keeps.</param>
/// <param name="StepBatch">The batch of the LeNet-5 and ResNet-18 agreement steps.</param>
/// <param name="LeNetSide">LeNet-5's input side in the agreement step (28 for Fashion-MNIST; its dense layers take
/// whatever the convolutions leave, so a smaller image runs the same layers).</param>
/// <param name="ResNetWidth">ResNet-18's first-stage width (64 is torchvision's network; stages double it).</param>
/// <param name="ResNetSide">ResNet-18's input side (32 for CIFAR).</param>
/// <param name="Repeats">Timed runs per workload after one warm-up; the report shows their median.</param>
/// <param name="GemmSize">The side of the timed square sgemm.</param>
/// <param name="LeNetBatch">The batch of the timed LeNet-5 step (on images of <see cref="LeNetSide"/>).</param>
/// <param name="ResNetBatch">The batch of the timed ResNet-18 step.</param>
/// <param name="EpochImages">How many 28×28 images the timed epoch trains on (0: no epoch).</param>
/// <param name="EpochBatch">The epoch's batch size.</param>
public sealed record Profile(string Name, int AgreementBatch, int Channels, int Side, int StepBatch, int LeNetSide, int ResNetWidth, int ResNetSide,
    int Repeats, int GemmSize, int LeNetBatch, int ResNetBatch, int EpochImages, int EpochBatch)
{
    /// <summary>The spec's workloads on a GPU.</summary>
    public static Profile Full { get; } = new("full", 128, int.MaxValue, int.MaxValue, 64, 28, 64, 32, 10, 4096, 256, 128, 60_000, 256);

    /// <summary>The same shapes with smaller agreement batches, fewer repetitions and a sixth of the epoch.</summary>
    public static Profile Quick { get; } = new("quick", 16, int.MaxValue, int.MaxValue, 16, 28, 64, 32, 3, 4096, 256, 128, 10_000, 256);

    /// <summary>Tiny shapes for ILGPU's CPU accelerator (a simulator).</summary>
    public static Profile Simulator { get; } = new("simulator", 1, 4, 8, 4, 12, 2, 8, 1, 64, 2, 2, 0, 4);

    /// <summary>The nine conv shapes of <c>./build.sh bench</c>, capped for the agreement checks.</summary>
    public IEnumerable<ConvShape> AgreementConvs => ConvShape.All.Select(s => s.Capped(AgreementBatch, Channels, Side));

    /// <summary>The conv shapes the timings run: the bench's own on a GPU, the capped ones on the simulator.</summary>
    public IEnumerable<ConvShape> TimedConvs => this == Simulator ? AgreementConvs : ConvShape.All;
}
