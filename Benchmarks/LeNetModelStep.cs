using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Dsl.Zoo;
using Functional.Network;
using Functional.Random;
using Functional.Training;

namespace Functional.Benchmarks;

/// <summary>
/// The LeNet-5 step of <see cref="LeNetStep"/>, but through the model (the zoo's LeNet-5, <see cref="Model.LossAndGradients(Loss, Tensor, IReadOnlyList{int}, Key)"/>
/// and a plain SGD update), as the main job trains: the difference between the two is what the layer machinery costs.
/// </summary>
public sealed class LeNetModelStep
{
    private readonly Model _model;
    private readonly Optimizer _sgd = Optimizer.Sgd(0.01);
    private readonly OptimizerState _state;
    private readonly Tensor _images;
    private readonly int[] _labels;

    /// <summary>A batch of <paramref name="batch"/> random 1×28×28 images and labels, and the zoo model from a seed.</summary>
    public LeNetModelStep(ExecutionContext ctx, int batch)
    {
        var key = Key.FromSeed(7);
        _model = LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 7, ctx);
        _state = _sgd.Init(_model);
        _images = Tensor.Uniform(Shape.Images(batch, 1, 28, 28), key.Split(0));
        _labels = Enumerable.Range(0, batch).Select(i => key.Below(i, 10)).ToArray();
    }

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
