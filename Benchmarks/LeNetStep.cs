using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;
using Functional.Ops;
using Functional.Random;

namespace Functional.Benchmarks;

/// <summary>
/// One LeNet-5 training step built from the operations (conv 6@5×5 pad 2, ReLU, max-pool 2, conv 16@5×5, ReLU,
/// max-pool 2, dense 120, 84, 10, cross-entropy) with an SGD update, each conv, ReLU and max-pool as one block: the same work as scripts/bench_torch.py's
/// PyTorch LeNet step (forward, backward, optimizer step).
/// </summary>
public sealed class LeNetStep
{
    private static readonly SgdStep Update = SgdStep.From(0.01, 0, 0, 0, false);
    private readonly ExecutionContext _ctx;
    private readonly Tensor _images;
    private readonly int[] _labels;
    private readonly Tensor[] _p;
    private static readonly ConvSpec C1 = new(2, 6, [5, 5], padding: 2), C3 = new(2, 16, [5, 5]);
    private static readonly PoolSpec Pool = PoolSpec.Square(2, 2);

    /// <summary>A batch of <paramref name="batch"/> random 1×28×28 images and labels, and seeded parameters.</summary>
    public LeNetStep(ExecutionContext ctx, int batch)
    {
        _ctx = ctx;
        var key = Key.FromSeed(7);
        _images = Tensor.Uniform(Shape.Images(batch, 1, 28, 28), key.Split(0));
        _labels = Enumerable.Range(0, batch).Select(i => key.Below(i, 10)).ToArray();
        Shape[] shapes = [Shape.Of(6, 1, 5, 5), Shape.Of(6), Shape.Of(16, 6, 5, 5), Shape.Of(16),
            Shape.Of(120, 400), Shape.Of(120), Shape.Of(84, 120), Shape.Of(84), Shape.Of(10, 84), Shape.Of(10)];
        _p = shapes.Select((s, i) => Tensor.Uniform(s, key.Split(i + 1), -0.1f, 0.1f)).ToArray();
    }

    /// <summary>Forward, loss, backward and the SGD update; returns the loss.</summary>
    public float Run()
    {
        var (ctx, p, relu) = (_ctx, _p, Activation.ReLU);
        // Each conv, ReLU and max pooling runs as one block, as the model runs them: the same bits without the
        // conv's full-size output as a tensor (docs/cpu.md, "Memory and garbage collection").
        var m1 = ConvReLUMaxPool.Forward(ctx, C1, _images, p[0], p[1], Pool);
        var m2 = ConvReLUMaxPool.Forward(ctx, C3, m1.Output, p[2], p[3], Pool);
        var f = Flatten.Forward(ctx, m2.Output);
        var z3 = Dense.Forward(ctx, f, p[4], p[5]); var a3 = relu.Forward(ctx, z3);
        var z4 = Dense.Forward(ctx, a3, p[6], p[7]); var a4 = relu.Forward(ctx, z4);
        var z5 = Dense.Forward(ctx, a4, p[8], p[9]);
        var loss = CrossEntropy.Compute(ctx, z5, _labels);

        var g5 = Dense.Backward(ctx, a4, p[8], loss.Gradient);
        var g4 = Dense.Backward(ctx, a3, p[6], relu.Backward(ctx, z4, a4, g5.Input));
        var g3 = Dense.Backward(ctx, f, p[4], relu.Backward(ctx, z3, a3, g4.Input));
        var g2 = ConvReLUMaxPool.Backward(ctx, C3, m1.Output, p[2], p[3], m2, Flatten.Backward(ctx, m2.Output.Shape, g3.Input));
        // The images need no gradient, so the first conv computes only its parameters' (as PyTorch does).
        var g1 = ConvReLUMaxPool.ParameterGradients(ctx, C1, _images, p[0], p[1], m1, g2.Input);

        Tensor[] grads = [g1.Weight, g1.Bias!, g2.Weight, g2.Bias!, g3.Weight, g3.Bias!, g4.Weight, g4.Bias!, g5.Weight, g5.Bias!];
        for (var i = 0; i < p.Length; i++)
        {
            // One new tensor per parameter, as the model's SGD: p − lr·g in one kernel.
            var next = ctx.Backend.AllocateUninitialized(p[i].Count);
            ctx.Backend.SgdUpdate(Update, p[i].Storage, grads[i].Storage, null, next, null);
            // The benchmark keeps training from the same parameters so every timed step does identical work.
            GC.KeepAlive(next);
        }
        return loss.Value;
    }
}
