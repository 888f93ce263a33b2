using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Dsl.Zoo;
using Functional.Network;
using Functional.Random;
using Functional.Training;

namespace Functional.Benchmarks;

/// <summary>
/// One ResNet-18 (CIFAR: 3×3 stem, no max pooling, 10 classes) training step on a batch of 3×32×32 images: forward
/// in training mode (batch statistics), cross-entropy, backward and a plain SGD update, the same work as
/// scripts/bench_torch.py's torchvision step.
/// </summary>
public sealed class ResNetStep
{
    private readonly Model _model;
    private readonly Optimizer _sgd = Optimizer.Sgd(0.01);
    private readonly OptimizerState _state;
    private readonly Tensor _images;
    private readonly int[] _labels;

    /// <summary>A batch of <paramref name="batch"/> random images and labels, and the zoo model initialised from a seed.</summary>
    public ResNetStep(ExecutionContext ctx, int batch)
    {
        var key = Key.FromSeed(11);
        _model = ResNet.ResNet18Cifar().Init(Shape.Image(3, 32, 32), seed: 11, ctx);
        _state = _sgd.Init(_model);
        _images = Tensor.Uniform(Shape.Images(batch, 3, 32, 32), key.Split(0));
        _labels = Enumerable.Range(0, batch).Select(i => key.Below(i, 10)).ToArray();
    }

    /// <summary>Forward, loss, backward and the SGD update; returns the loss.</summary>
    public float Run()
    {
        var step = _model.LossAndGradients(Loss.CrossEntropy, _images, _labels, Key.FromSeed(0));
        // The benchmark keeps training from the same parameters so every timed step does identical work.
        var (next, _) = _sgd.Step(_model.Parameters, step.Gradients, _state);
        GC.KeepAlive(next);
        return step.Loss;
    }
}
