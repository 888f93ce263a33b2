using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Conformance;

/// <summary>
/// Element-wise activations <c>relu</c>, <c>sigmoid</c>, <c>tanh</c>, <c>leaky_relu</c> (slope), and
/// <c>softmax</c> / <c>log_softmax</c> (dim); input x.
/// </summary>
internal static class ActivationCases
{
    public static void Register(Dictionary<string, IConformanceOp> ops)
    {
        ops["relu"] = new ActivationOp(_ => Activation.ReLU);
        ops["sigmoid"] = new ActivationOp(_ => Activation.Sigmoid);
        ops["tanh"] = new ActivationOp(_ => Activation.Tanh);
        ops["leaky_relu"] = new ActivationOp(c => Activation.LeakyReLU((float)c.Double("slope", 0.01)));
        ops["softmax"] = new SoftmaxOp(log: false);
        ops["log_softmax"] = new SoftmaxOp(log: true);
    }

    private sealed class ActivationOp(Func<ConformanceCase, Activation> of) : IConformanceOp
    {
        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => of(c).Forward(ctx, c.Input("x"));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy)
        {
            var x = c.Input("x");
            return new Dictionary<string, Tensor> { ["x"] = of(c).Backward(ctx, x, of(c).Forward(ctx, x), gy) };
        }
    }

    private sealed class SoftmaxOp(bool log) : IConformanceOp
    {
        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => log
            ? LogSoftmax.Forward(ctx, c.Input("x"), c.Int("dim", -1))
            : Softmax.Forward(ctx, c.Input("x"), c.Int("dim", -1));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy)
        {
            var dim = c.Int("dim", -1);
            var dx = log
                ? LogSoftmax.Backward(ctx, Forward(ctx, c), gy, dim)
                : Softmax.Backward(ctx, Forward(ctx, c), gy, dim);
            return new Dictionary<string, Tensor> { ["x"] = dx };
        }
    }
}
