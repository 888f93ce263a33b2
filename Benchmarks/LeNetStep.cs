using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;
using Functional.Ops;
using Functional.Random;

namespace Functional.Benchmarks;

/// <summary>
/// One LeNet-5 training step built from the operations (conv 6@5×5 pad 2, ReLU, max-pool 2, conv 16@5×5, ReLU,
/// max-pool 2, dense 120, 84, 10, cross-entropy) with an SGD update: the same work as scripts/bench_torch.py's
/// PyTorch LeNet step (forward, backward, optimizer step).
/// </summary>
public sealed class LeNetStep
{
    private const float LearningRate = 0.01f;
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
        var z1 = Conv.Forward(ctx, C1, _images, p[0], p[1]); var a1 = relu.Forward(ctx, z1); var m1 = MaxPool.Forward(ctx, a1, Pool);
        var z2 = Conv.Forward(ctx, C3, m1.Output, p[2], p[3]); var a2 = relu.Forward(ctx, z2); var m2 = MaxPool.Forward(ctx, a2, Pool);
        var f = Flatten.Forward(ctx, m2.Output);
        var z3 = Dense.Forward(ctx, f, p[4], p[5]); var a3 = relu.Forward(ctx, z3);
        var z4 = Dense.Forward(ctx, a3, p[6], p[7]); var a4 = relu.Forward(ctx, z4);
        var z5 = Dense.Forward(ctx, a4, p[8], p[9]);
        var loss = CrossEntropy.Compute(ctx, z5, _labels);

        var g5 = Dense.Backward(ctx, a4, p[8], loss.Gradient);
        var g4 = Dense.Backward(ctx, a3, p[6], relu.Backward(ctx, z4, a4, g5.Input));
        var g3 = Dense.Backward(ctx, f, p[4], relu.Backward(ctx, z3, a3, g4.Input));
        var d2 = MaxPool.Backward(ctx, m2, Flatten.Backward(ctx, m2.Output.Shape, g3.Input));
        var g2 = Conv.Backward(ctx, C3, m1.Output, p[2], p[3], relu.Backward(ctx, z2, a2, d2));
        var d1 = MaxPool.Backward(ctx, m1, g2.Input);
        // The images need no gradient, so the first conv computes only its parameters' (as PyTorch does).
        var g1 = Conv.ParameterGradients(ctx, C1, _images, p[0], p[1], relu.Backward(ctx, z1, a1, d1));

        Tensor[] grads = [g1.Weight, g1.Bias!, g2.Weight, g2.Bias!, g3.Weight, g3.Bias!, g4.Weight, g4.Bias!, g5.Weight, g5.Bias!];
        for (var i = 0; i < p.Length; i++)
        {
            var step = ctx.Backend.Allocate(p[i].Count);
            ctx.Backend.Unary(UnaryOp.Scale, LearningRate, grads[i].Storage, step);
            var next = ctx.Backend.Allocate(p[i].Count);
            ctx.Backend.Binary(BinaryOp.Subtract, new AxisGeometry(1, p[i].Count, 1), p[i].Storage, step, false, next);
            // The benchmark keeps training from the same parameters so every timed step does identical work.
            GC.KeepAlive(next);
        }
        return loss.Value;
    }
}
