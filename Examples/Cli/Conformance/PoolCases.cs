using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Conformance;

/// <summary>
/// Pooling in PyTorch's terms: <c>max_pool2d</c> (kernel, stride, padding, dilation, ceil_mode),
/// <c>avg_pool2d</c> (kernel, stride, padding, ceil_mode, count_include_pad), <c>global_avg_pool2d</c> and
/// <c>adaptive_avg_pool2d</c> (output_size); input x.
/// </summary>
internal static class PoolCases
{
    public static void Register(Dictionary<string, IConformanceOp> ops)
    {
        ops["max_pool2d"] = new MaxPoolOp();
        ops["avg_pool2d"] = new AvgPoolOp();
        ops["global_avg_pool2d"] = new GlobalAvgPoolOp();
        ops["adaptive_avg_pool2d"] = new AdaptiveAvgPoolOp();
    }

    private static PoolSpec Spec(ConformanceCase c, bool max)
    {
        var kernel = c.Ints("kernel", 1);
        return new PoolSpec(2, kernel, c.Has("stride") ? c.Ints("stride", 1) : null, c.Ints("padding", 0),
            max ? c.Ints("dilation", 1) : null, c.Bool("ceil_mode", false), c.Bool("count_include_pad", true));
    }

    private static Dictionary<string, Tensor> X(Tensor dx) => new() { ["x"] = dx };

    private sealed class MaxPoolOp : IConformanceOp
    {
        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => MaxPool.Forward(ctx, c.Input("x"), Spec(c, true)).Output;

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy) =>
            X(MaxPool.Backward(ctx, MaxPool.Forward(ctx, c.Input("x"), Spec(c, true)), gy));
    }

    private sealed class AvgPoolOp : IConformanceOp
    {
        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => AvgPool.Forward(ctx, c.Input("x"), Spec(c, false));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy) =>
            X(AvgPool.Backward(ctx, c.Input("x").Shape, Spec(c, false), gy));
    }

    private sealed class GlobalAvgPoolOp : IConformanceOp
    {
        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => GlobalAvgPool.Forward(ctx, c.Input("x"));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy) =>
            X(GlobalAvgPool.Backward(ctx, c.Input("x").Shape, gy));
    }

    private sealed class AdaptiveAvgPoolOp : IConformanceOp
    {
        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => AdaptiveAvgPool.Forward(ctx, c.Input("x"), c.Ints("output_size", 1));

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy) =>
            X(AdaptiveAvgPool.Backward(ctx, c.Input("x").Shape, c.Ints("output_size", 1), gy));
    }
}
