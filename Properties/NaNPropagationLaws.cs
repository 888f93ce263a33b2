using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Ops;
using Functional.Properties.Support;
using Functional.Random;
using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Properties;

/// <summary>
/// NaN is never hidden, as in PyTorch: a NaN in the input of an activation or a pooling reaches exactly the outputs
/// that read it, on every backend. For a pooling, "the outputs that read it" are found by probing the same input
/// with +∞ in the NaN's place: max and every average turn a window that holds +∞ (among finite values) into +∞.
/// </summary>
public class NaNPropagationLaws
{
    private const string Law = "NaNPropagation";

    private static readonly (string Name, ExecutionContext Context)[] Contexts =
        [("reference", ExecutionContext.Reference), ("cpu", ExecutionContext.Cpu(2))];

    /// <summary>A small N×C×H×W input (finite values in [−2, 2]) with one NaN at a drawn position.</summary>
    public sealed record NaNCase(int N, int C, int H, int W, int At, long Seed)
    {
        public Shape Shape => Shape.Images(N, C, H, W);

        public Tensor Input(float atValue)
        {
            var key = Key.FromSeed(Seed);
            var values = Enumerable.Range(0, N * C * H * W).Select(i => (float)(key.UniformDouble(i) * 4 - 2)).ToArray();
            values[At] = atValue;
            return Tensor.FromArray(Shape, values);
        }

        public override string ToString() => $"input {Shape} with NaN at flat index {At}, seed {Seed}";
    }

    private static Arbitrary<NaNCase> Cases() =>
        (from n in Gen.Choose(1, 2)
         from c in Gen.Choose(1, 3)
         from h in Gen.Choose(1, 9)
         from w in Gen.Choose(3, 19)
         from at in Gen.Choose(0, n * c * h * w - 1)
         from seed in Gen.Choose(0, 1_000_000)
         select new NaNCase(n, c, h, w, at, seed)).ToArbitrary();

    private static readonly string[] Activations = ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax"];

    private static Tensor Activate(string name, ExecutionContext ctx, Tensor x) => name switch
    {
        "ReLU" => Activation.ReLU.Forward(ctx, x),
        "LeakyReLU" => Activation.LeakyReLU(0.1f).Forward(ctx, x),
        "Sigmoid" => Activation.Sigmoid.Forward(ctx, x),
        "Tanh" => Activation.Tanh.Forward(ctx, x),
        "Softmax" => Softmax.Forward(ctx, x, dim: 1),
        _ => LogSoftmax.Forward(ctx, x, dim: 1),
    };

    // 150 cases per activation, each activation a labelled part of the one property.
    [Property(MaxTest = 150)]
    [Trait("Law", Law)]
    public Property An_activation_turns_exactly_the_outputs_that_read_a_NaN_into_NaN() =>
        Activations.Select(a => Prop.ForAll(Cases(), c => ActivationReadsNaN(a, c)).Label(a)).Aggregate((p, q) => p.And(q));

    private static void ActivationReadsNaN(string activation, NaNCase c)
    {
        var softmax = activation.Contains("Softmax", StringComparison.Ordinal);
        foreach (var (backend, ctx) in Contexts)
        {
            var y = Activate(activation, ctx, c.Input(float.NaN)).ToArray();
            for (var i = 0; i < y.Length; i++)
            {
                // Element-wise maps read one element; a softmax over C reads the whole channel column.
                var reads = softmax ? SameColumn(c, i) : i == c.At;
                if (float.IsNaN(y[i]) != reads)
                    throw new LawViolation($"{activation} on {backend}: output {i} is {y[i]}, but it {(reads ? "reads" : "does not read")} the NaN.");
            }
        }
    }

    private static readonly string[] Poolings = ["max", "max-dilated", "avg", "avg-exclude-pad", "global-avg", "adaptive-avg"];

    private static Tensor Pool(string kind, ExecutionContext ctx, Tensor x)
    {
        // Windows that overlap (stride 1, kernel 3), pad, skip input (stride 2) or are dilated.
        var (h, w) = (x.Shape[2], x.Shape[3]);
        return kind switch
        {
            "max" => MaxPool.Forward(ctx, x, PoolSpec.Square(2, Math.Min(3, Math.Min(h, w)), 1, Math.Min(3, Math.Min(h, w)) / 2)).Output,
            // Taps two apart along W in ceil mode: only odd columns are read, and every window reads one (W ≥ 3).
            "max-dilated" => MaxPool.Forward(ctx, x, new PoolSpec(2, [1, 2], [1, 2], [0, 1], [1, 2], ceilMode: true)).Output,
            "avg" => AvgPool.Forward(ctx, x, new PoolSpec(2, [1, 2], [1, 2], [0, 1], [1, 1])),
            "avg-exclude-pad" => AvgPool.Forward(ctx, x, new PoolSpec(2, [1, 3], [1, 2], [0, 1], [1, 1], countIncludePad: false)),
            "global-avg" => GlobalAvgPool.Forward(ctx, x),
            _ => AdaptiveAvgPool.Forward(ctx, x, [Math.Max(1, h / 2), Math.Max(1, (w + 1) / 3)]),
        };
    }

    // 150 cases per pooling, each pooling a labelled part of the one property.
    [Property(MaxTest = 150)]
    [Trait("Law", Law)]
    public Property A_pooling_turns_exactly_the_windows_that_read_a_NaN_into_NaN() =>
        Poolings.Select(k => Prop.ForAll(Cases(), c => PoolingReadsNaN(k, c)).Label(k)).Aggregate((p, q) => p.And(q));

    private static void PoolingReadsNaN(string kind, NaNCase c)
    {
        foreach (var (backend, ctx) in Contexts)
        {
            var probe = Pool(kind, ctx, c.Input(float.PositiveInfinity)).ToArray();
            var y = Pool(kind, ctx, c.Input(float.NaN)).ToArray();
            if (!probe.Any(float.IsPositiveInfinity) && kind is not ("avg" or "avg-exclude-pad" or "max-dilated"))
                throw new LawViolation($"{kind} on {backend}: no window reads flat index {c.At}, yet every input is read by one.");
            for (var i = 0; i < y.Length; i++)
            {
                var reads = float.IsPositiveInfinity(probe[i]);
                if (float.IsNaN(y[i]) != reads)
                    throw new LawViolation($"{kind} on {backend}: output {i} is {y[i]}, but its window {(reads ? "reads" : "does not read")} the NaN.");
            }
        }
    }

    private static bool SameColumn(NaNCase c, int i)
    {
        // Softmax over dim 1 of N×C×H×W: output i reads every channel at its own (n, h, w).
        var plane = c.H * c.W;
        return i / (c.C * plane) == c.At / (c.C * plane) && i % plane == c.At % plane;
    }
}
