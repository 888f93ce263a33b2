using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Dsl.Zoo;
using Functional.Network;
using Functional.Random;
using Functional.Training;

namespace Functional.Benchmarks;

/// <summary>
/// One training step of a zoo model as the main job trains: forward in training mode (batch statistics),
/// cross-entropy, backward through <see cref="Model.LossAndGradients(Loss, Tensor, IReadOnlyList{int}, Key)"/> and a
/// plain SGD update (lr 0.01), on a fixed batch of random images and labels. The same work as
/// scripts/bench_torch.py's PyTorch steps.
/// </summary>
public sealed class ModelStep
{
    private readonly Model _model;
    private readonly Optimizer _sgd = Optimizer.Sgd(0.01);
    private readonly OptimizerState _state;
    private readonly Tensor _images;
    private readonly int[] _labels;

    private ModelStep(ExecutionContext ctx, Layer network, Shape image, int batch, int seed, int classes)
    {
        var key = Key.FromSeed(seed);
        _model = network.Init(image, seed, ctx);
        _state = _sgd.Init(_model);
        _images = Tensor.Uniform(Shape.Images(batch, image[0], image[1], image[2]), key.Split(0));
        _labels = Enumerable.Range(0, batch).Select(i => key.Below(i, classes)).ToArray();
    }

    /// <summary>ResNet-18 for CIFAR (3×3 stem, no max pooling, 10 classes) on 3×32×32 images: torchvision's step.</summary>
    public static ModelStep ResNet18Cifar(ExecutionContext ctx, int batch) => new(ctx, ResNet.ResNet18Cifar(), Shape.Image(3, 32, 32), batch, 11, 10);

    /// <summary>The zoo's LeNet-5 on 1×28×28 images: the <see cref="LeNetStep"/> network, through the model.</summary>
    public static ModelStep LeNet5(ExecutionContext ctx, int batch) => new(ctx, LeNet.Modern(), Shape.Image(1, 28, 28), batch, 7, 10);

    /// <summary>Forward, loss, backward and the SGD update; returns the loss.</summary>
    public float Run()
    {
        var step = _model.LossAndGradients(Loss.CrossEntropy, _images, _labels, Key.FromSeed(0));
        // The same parameters every time, so every timed step does identical work.
        var (next, _) = _sgd.Step(_model.Parameters, step.Gradients, _state);
        GC.KeepAlive(next);
        return step.Loss;
    }
}
