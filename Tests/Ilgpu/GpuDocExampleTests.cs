using Functional.Backends.Ilgpu;
using Functional.Network;
using Functional.Training;
using Xunit;
using static Functional.Dsl.Layers;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests.Ilgpu;

/// <summary>docs/gpu.md's C# example, line for line (on the CPU accelerator), so the page cannot drift from the API.</summary>
public class GpuDocExampleTests
{
    [Fact]
    public void The_gpu_page_example_compiles_runs_and_moves_the_model_back()
    {
        var gpu = ExecutionContext.Ilgpu(IlgpuKind.Cpu);
        var model = Conv(6, 5, padding: 2).Then(ReLU).Then(MaxPool(2)).Then(Flatten).Then(Dense(10))
            .Init(Shape.Image(1, 28, 28), seed: 42, gpu);
        var images = Tensor.Uniform(Shape.Images(8, 1, 28, 28), Functional.Random.Key.FromSeed(1));
        int[] labels = [0, 1, 2, 3, 4, 5, 6, 7];
        var optimizer = Optimizer.Adam(1e-3);
        var state = optimizer.Init(model);
        var step = model.LossAndGradients(Loss.CrossEntropy, images, labels, Functional.Random.Key.FromSeed(2));
        (model, state) = optimizer.Step(model.WithState(step.State), step.Gradients, state);
        var live = ((IlgpuBackend)gpu.Backend).Memory.LiveBytes;
        var onCpu = model.WithContext(ExecutionContext.Cpu());

        Assert.True(float.IsFinite(step.Loss));
        Assert.True(live > 4 * model.Parameters.ElementCount, $"{live} bytes live");
        Assert.IsType<IlgpuStorage>(model.Parameters[0].Value.Storage);
        Assert.IsType<HostStorage>(onCpu.Parameters[0].Value.Storage);
    }
}
