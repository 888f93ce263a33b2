using Functional.Backends;
using Functional.Benchmarks;
using Functional.Network;
using Functional.Random;
using Functional.Training;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.GpuCheck;

/// <summary>
/// Runs each workload on the device backend and on the Cpu backend from the same host inputs, in one process, and
/// compares every output and gradient. Inputs are seeded, so a run repeats exactly.
/// </summary>
public sealed class AgreementChecks(ExecutionContext device, ExecutionContext cpu, Profile profile)
{
    /// <summary>Every check in report order, as (name, check) so a caller can show progress before each runs.</summary>
    public IEnumerable<(string Name, Func<AgreementResult> Run)> All()
    {
        foreach (var shape in profile.AgreementConvs)
            yield return ($"conv {shape.Name} f+b", () => Conv(shape));
        var (n, c, side) = (profile.AgreementBatch, Math.Min(64, profile.Channels), Math.Min(32, profile.Side));
        var dims = $"{n}x{c}x{side}x{side}";
        yield return ($"max pool {dims} k2 s2 f+b", () => Pool(PoolKind.Max, n * c, side, 2, 2, 0));
        yield return ($"average pool {dims} k3 s1 p1 f+b", () => Pool(PoolKind.Average, n * c, side, 3, 1, 1));
        yield return ($"batch norm {dims} (training) f+b", () => BatchNorm(new AxisGeometry(n, c, side * side)));
        var classes = profile == Profile.Simulator ? 10 : 1000;
        yield return ($"softmax {n}x{classes} f+b", () => Softmax(new AxisGeometry(n, classes, 1)));
        var b = profile.StepBatch;
        var l = profile.LeNetSide;
        yield return ($"LeNet-5{(l == 28 ? "" : $" (1x{l}x{l})")} train step, batch {b}", () => Step(Networks.LeNet5, Shape.Image(1, l, l), b));
        var (w, s) = (profile.ResNetWidth, profile.ResNetSide);
        yield return ($"{Networks.ResNetName(w, s)} train step, batch {b}", () => Step(Networks.ResNet18Cifar(w), Shape.Image(3, s, s), b));
    }

    private AgreementResult Conv(ConvShape shape)
    {
        var g = shape.Geometry();
        var (d, h) = (new ConvWorkload(device.Backend, g), new ConvWorkload(cpu.Backend, g));
        d.ForwardBackward();
        h.ForwardBackward();
        return Agreement.Worst(shape.Name, d.Results.Zip(h.Results, (x, y) => (x.Name, x.Value, y.Value)));
    }

    private AgreementResult Pool(PoolKind kind, int planes, int side, int k, int stride, int pad)
    {
        var o = (side + 2 * pad - k) / stride + 1;
        var g = new PoolGeometry(2, kind, planes, new Dims3(1, side, side), new Dims3(1, k, k), new Dims3(1, stride, stride),
            new Dims3(1, 1, 1), new Dims3(0, pad, pad), new Dims3(1, o, o), CountIncludePad: false);
        var (x, dy) = (Host(g.InputLength, 11), Host(g.OutputLength, 12));
        return Pair("pool", cpuSide => Run(cpuSide ? cpu.Backend : device.Backend));

        TensorStorage[] Run(IBackend be)
        {
            var (y, dx) = (be.Allocate(g.OutputLength), be.Allocate(g.InputLength));
            var argmax = kind == PoolKind.Max ? be.AllocateIndices(g.OutputLength) : null;
            be.PoolForward(g, x, y, argmax);
            be.PoolBackward(g, dy, argmax, dx);
            return [y, dx];
        }
    }

    private AgreementResult BatchNorm(AxisGeometry g)
    {
        var (x, gamma, beta, dy) = (Host(g.Length, 21), Host(g.Axis, 22), Host(g.Axis, 23), Host(g.Length, 24));
        return Pair("batch norm", cpuSide => Run(cpuSide ? cpu.Backend : device.Backend), "mean", "variance", "y", "dx", "dgamma", "dbeta");

        TensorStorage[] Run(IBackend be)
        {
            var (mean, variance, y) = (be.Allocate(g.Axis), be.Allocate(g.Axis), be.Allocate(g.Length));
            var (dx, dgamma, dbeta) = (be.Allocate(g.Length), be.Allocate(g.Axis), be.Allocate(g.Axis));
            be.BatchNormStatistics(g, x, mean, variance);
            be.BatchNormForward(g, 1e-5f, x, mean, variance, gamma, beta, y);
            be.BatchNormBackward(g, 1e-5f, true, x, mean, variance, gamma, dy, dx, dgamma, dbeta);
            return [mean, variance, y, dx, dgamma, dbeta];
        }
    }

    private AgreementResult Softmax(AxisGeometry g)
    {
        var (x, dy) = (Host(g.Length, 31, 4f), Host(g.Length, 32));
        return Pair("softmax", cpuSide => Run(cpuSide ? cpu.Backend : device.Backend));

        TensorStorage[] Run(IBackend be)
        {
            var (y, dx) = (be.Allocate(g.Length), be.Allocate(g.Length));
            be.Softmax(g, false, x, y);
            be.SoftmaxBackward(g, false, y, dy, dx);
            return [y, dx];
        }
    }

    /// <summary>One SGD training step (forward in training mode, cross-entropy, backward, update) from the same seed
    /// on both backends: the loss, every gradient, the batch-norm state and the updated parameters are compared.</summary>
    private AgreementResult Step(Layer network, Shape image, int batch)
    {
        var key = Key.FromSeed(17);
        var images = Tensor.Uniform(Shape.Images(batch, image[0], image[1], image[2]), key.Split(0));
        var labels = Enumerable.Range(0, batch).Select(i => key.Below(i, 10)).ToArray();
        var (d, h) = (Run(device), Run(cpu));
        return Agreement.Worst("step", d.Zip(h, (x, y) => (x.Path, x.Value.Storage, y.Value.Storage)));

        List<TensorLeaf> Run(ExecutionContext ctx)
        {
            var model = network.Init(image, seed: 42, ctx);
            var step = model.LossAndGradients(Loss.CrossEntropy, images, labels, Key.FromSeed(0));
            var sgd = Optimizer.Sgd(0.01);
            var (next, _) = sgd.Step(model.Parameters, step.Gradients, sgd.Init(model));
            return [new("loss", Tensor.FromArray(Shape.Of(1), [step.Loss])),
                .. step.Gradients.Select(l => l with { Path = "gradient " + l.Path }),
                .. step.State.Select(l => l with { Path = "state " + l.Path }),
                .. next.Select(l => l with { Path = "updated " + l.Path })];
        }
    }

    private static AgreementResult Pair(string what, Func<bool, TensorStorage[]> run, params string[] names)
    {
        var (d, h) = (run(false), run(true));
        if (names.Length == 0) names = ["y", "dx"];
        return Agreement.Worst(what, names.Select((name, i) => (name, d[i], h[i])));
    }

    private static TensorStorage Host(int n, long seed, float range = 1f) =>
        Tensor.Uniform(Shape.Of(n), Key.FromSeed(seed), -range, range).Storage;
}
