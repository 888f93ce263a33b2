using Functional.Backends;
using Functional.Backends.Ilgpu;
using Functional.Data;
using Functional.Network;
using Functional.Training;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Ilgpu;

/// <summary>
/// Shared pieces of the ILGPU backend's tests, which all run on ILGPU's CPU accelerator (a simulated GPU: tiny shapes).
/// </summary>
internal static class IlgpuTestKit
{
    /// <summary>A backend of its own (on the process's one CPU accelerator), so its live bytes and transfers are this test's alone.</summary>
    public static ExecutionContext Fresh(long budgetBytes = 256L << 20) => ExecutionContext.Ilgpu(IlgpuKind.Cpu, budgetBytes);

    public static IlgpuBackend Backend(ExecutionContext context) => (IlgpuBackend)context.Backend;

    /// <summary>
    /// A classifier without conv, pool or GEMM: batch norm, ReLU, batch norm over 10 channels of 1×1 (40 parameters and
    /// 40 running statistics), then flatten to 10 logits; the cheapest net to train on the simulated GPU.
    /// </summary>
    public static Model FeatureNet(ExecutionContext context, int seed = 1) =>
        BatchNorm.Then(ReLU).Then(BatchNorm).Then(Flatten).Init(Features, seed, context);

    /// <summary>The feature net's sample: 10 channels of 1×1.</summary>
    public static Shape Features { get; } = Shape.Image(10, 1, 1);

    /// <summary>A small conv net (a few hundred parameters) on 1×8×8 inputs.</summary>
    public static Model SmallConvNet(ExecutionContext context, int seed = 1) =>
        Conv(4, 3, padding: 1).Then(BatchNorm).Then(ReLU).Then(MaxPool(2)).Then(Flatten).Then(Dense(10)).Init(Shape.Image(1, 8, 8), seed, context);

    /// <summary><paramref name="count"/> seeded samples of <paramref name="sample"/> bytes with labels 0–9.</summary>
    public static Dataset Synthetic(Shape sample, int count, long seed)
    {
        var key = Functional.Random.Key.FromSeed(seed);
        var pixels = new byte[count * sample.Count];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(key.Uniform(i) * 256);
        var labels = new byte[count];
        for (var i = 0; i < count; i++) labels[i] = (byte)(key.Uniform(-1 - i) * 10);
        return Dataset.FromBytes(sample, pixels, labels, 10);
    }

    /// <summary>Calls <paramref name="step"/> after every training step.</summary>
    public sealed class StepHook(Action<StepReport> step) : ITrainingObserver
    {
        public void EpochStarted(int epoch, int epochs, int steps) { }
        public void StepFinished(StepReport report) => step(report);
        public void EpochFinished(IReadOnlyList<EpochRecord> history, Model model) { }
    }
}
