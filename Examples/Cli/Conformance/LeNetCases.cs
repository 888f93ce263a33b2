using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Conformance;

/// <summary>
/// <c>lenet5_forward</c>: x (N×1×28×28) through conv(1→6, k5, p2)-relu-maxpool2-conv(6→16, k5)-relu-maxpool2-
/// flatten-fc400→120-relu-fc120→84-relu-fc84→10, with parameters named as torch.nn.Sequential numbers them
/// (0_weight, 0_bias, 3_…, 7_…, 9_…, 11_…). Forward only: the whole network built from the Core operations.
/// </summary>
internal static class LeNetCases
{
    public static void Register(Dictionary<string, IConformanceOp> ops) => ops["lenet5_forward"] = new LeNetOp();

    private sealed class LeNetOp : IConformanceOp
    {
        public Tensor Forward(ExecutionContext ctx, ConformanceCase c)
        {
            var pool = PoolSpec.Square(2, 2);
            var h = c.Input("x");
            h = Activation.ReLU.Forward(ctx, Conv.Forward(ctx, new ConvSpec(2, 6, [5, 5], padding: 2), h, c.Input("0_weight"), c.Input("0_bias")));
            h = MaxPool.Forward(ctx, h, pool).Output;
            h = Activation.ReLU.Forward(ctx, Conv.Forward(ctx, new ConvSpec(2, 16, [5, 5]), h, c.Input("3_weight"), c.Input("3_bias")));
            h = Flatten.Forward(ctx, MaxPool.Forward(ctx, h, pool).Output);
            h = Activation.ReLU.Forward(ctx, Dense.Forward(ctx, h, c.Input("7_weight"), c.Input("7_bias")));
            h = Activation.ReLU.Forward(ctx, Dense.Forward(ctx, h, c.Input("9_weight"), c.Input("9_bias")));
            return Dense.Forward(ctx, h, c.Input("11_weight"), c.Input("11_bias"));
        }

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy) =>
            throw new NotSupportedException("lenet5_forward checks the forward pass only; its cases have gy null.");
    }
}
