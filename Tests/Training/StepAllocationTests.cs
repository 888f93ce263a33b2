using Functional.Dsl.Zoo;
using Functional.Network;
using Functional.Random;
using Functional.Training;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Training;

/// <summary>
/// A LeNet-5 training step allocates its outputs and little more: about 1.9 MiB at batch 64, where it allocated
/// 8.1 MiB while each conv's and ReLU's full-size outputs and gradients were tensors (docs/cpu.md, "What a LeNet step
/// allocates"). On one thread the whole step runs on the test's thread, so the thread's allocation counter sees all
/// of it, and the count does not depend on timing.
/// </summary>
public class StepAllocationTests
{
    [Fact]
    public void A_lenet5_step_at_batch_64_allocates_well_under_the_unfused_8_mib()
    {
        var model = LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 7, ExecutionContext.Cpu(1));
        var images = Tensor.Uniform(Shape.Images(64, 1, 28, 28), Key.FromSeed(1));
        var labels = Enumerable.Range(0, 64).Select(i => i % 10).ToArray();
        var sgd = Optimizer.Sgd(0.01);
        var state = sgd.Init(model);
        void Step()
        {
            var step = model.LossAndGradients(Loss.CrossEntropy, images, labels, Key.FromSeed(0));
            GC.KeepAlive(sgd.Step(model.Parameters, step.Gradients, state));
        }
        Step();   // the kernels' pooled scratch is allocated once, here
        var before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        var mebibytes = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)(1 << 20);
        Assert.True(mebibytes < 3.5, $"a LeNet-5 step at batch 64 allocated {mebibytes:F2} MiB");
    }
}
