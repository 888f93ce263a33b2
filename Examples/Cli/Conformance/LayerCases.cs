using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Conformance;

/// <summary>
/// Layers with parameters and losses: <c>linear</c> (x, w out×in, b), <c>batch_norm2d_train</c> (x, gamma,
/// beta; eps) and <c>cross_entropy</c> (x logits; labels, reduction "mean", optional label_smoothing; y is the
/// scalar loss with shape [], the gradient is with respect to x).
/// </summary>
internal static class LayerCases
{
    public static void Register(Dictionary<string, IConformanceOp> ops)
    {
        ops["linear"] = new LinearOp();
        ops["batch_norm2d_train"] = new BatchNormOp();
        ops["cross_entropy"] = new CrossEntropyOp();
    }

    private sealed class LinearOp : IConformanceOp
    {
        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) =>
            Dense.Forward(ctx, c.Input("x"), c.Input("w"), c.OptionalInput("b"));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy)
        {
            var g = Dense.Backward(ctx, c.Input("x"), c.Input("w"), gy, c.OptionalInput("b") is not null);
            var grads = new Dictionary<string, Tensor> { ["x"] = g.Input, ["w"] = g.Weight };
            if (g.Bias is not null) grads["b"] = g.Bias;
            return grads;
        }
    }

    private sealed class BatchNormOp : IConformanceOp
    {
        private static BatchNormResult Run(ExecutionContext ctx, ConformanceCase c) =>
            BatchNorm.Forward(ctx, c.Input("x"), c.Input("gamma"), c.Input("beta"), BatchNormState.Initial(c.Input("x").Shape[1]),
                training: true, eps: (float)c.Double("eps", BatchNorm.DefaultEps));

        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => Run(ctx, c).Output;

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy)
        {
            var g = BatchNorm.Backward(ctx, Run(ctx, c), c.Input("gamma"), gy);
            return new Dictionary<string, Tensor> { ["x"] = g.Input, ["gamma"] = g.Gamma, ["beta"] = g.Beta };
        }
    }

    private sealed class CrossEntropyOp : IConformanceOp
    {
        private static LossResult Run(ExecutionContext ctx, ConformanceCase c)
        {
            var reduction = c.String("reduction") ?? "mean";
            if (reduction != "mean") throw new ArgumentException($"reduction '{reduction}' is not supported; only \"mean\" is");
            return CrossEntropy.Compute(ctx, c.Input("x"), c.Ints("labels", 0), (float)c.Double("label_smoothing", 0));
        }

        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => Run(ctx, c).Loss;

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy)
        {
            // The loss is a scalar, so the upstream gradient scales the whole ∂loss/∂x.
            var g = Run(ctx, c).Gradient;
            var scale = gy.Span[0];
            return new Dictionary<string, Tensor> { ["x"] = Tensor.FromArray(g.Shape, g.ToArray().Select(v => v * scale).ToArray()) };
        }
    }
}
