using Functional.Functions;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Conformance;

/// <summary>
/// The tensor functions and the modern layers' ops, each run through <see cref="Vjp"/> so the gradients checked
/// are the ones training uses: <c>gelu</c> (approximate "none"/"tanh"), <c>silu</c>, <c>hardswish</c>, <c>mish</c>,
/// <c>layer_norm</c> (normalized_shape, eps), <c>group_norm</c> (groups, eps), <c>upsample_nearest2d</c> (scale),
/// <c>upsample_bilinear2d</c> (scale, align_corners), <c>add</c>/<c>sub</c>/<c>mul</c>/<c>div</c> and <c>matmul</c>
/// (a, b broadcasting), <c>sum</c>/<c>mean</c> (dims, keepdim), <c>exp</c>/<c>log</c>/<c>sqrt</c>, <c>pow</c>
/// (exponent) and <c>permute</c> (dims).
/// </summary>
internal static class FunctionCases
{
    public static void Register(Dictionary<string, IConformanceOp> ops)
    {
        Unary(ops, "gelu", (c, x) => Fn.Gelu(x, tanh: c.String("approximate") == "tanh"));
        Unary(ops, "silu", (_, x) => Fn.Silu(x));
        Unary(ops, "hardswish", (_, x) => Fn.Hardswish(x));
        Unary(ops, "mish", (_, x) => Fn.Mish(x));
        Unary(ops, "exp", (_, x) => Fn.Exp(x));
        Unary(ops, "log", (_, x) => Fn.Log(x));
        Unary(ops, "sqrt", (_, x) => Fn.Sqrt(x));
        Unary(ops, "pow", (c, x) => Fn.Pow(x, (float)c.Double("exponent", 1)));
        Unary(ops, "permute", (c, x) => Fn.Permute(x, c.Ints("dims", 0)));
        Unary(ops, "sum", (c, x) => Fn.Sum(x, c.Ints("dims", 0), c.Bool("keepdim", false)));
        Unary(ops, "mean", (c, x) => Fn.Mean(x, c.Ints("dims", 0), c.Bool("keepdim", false)));
        Unary(ops, "upsample_nearest2d", (c, x) => Fn.UpsampleNearest(x, c.Ints("scale", 1)));
        Unary(ops, "upsample_bilinear2d", (c, x) => Fn.UpsampleBilinear(x, c.Bool("align_corners", false), c.Ints("scale", 1)));
        Binary(ops, "add", Fn.Add);
        Binary(ops, "sub", Fn.Sub);
        Binary(ops, "mul", Fn.Mul);
        Binary(ops, "div", Fn.Div);
        Binary(ops, "matmul", Fn.Matmul);
        ops["layer_norm"] = new FunctionOp(["x", "gamma", "beta"], (c, v) =>
            Fn.LayerNorm(v[0], v[1], v[2], c.Ints("normalized_shape", 0).Length, (float)c.Double("eps", 1e-5)));
        ops["group_norm"] = new FunctionOp(["x", "gamma", "beta"], (c, v) =>
            Fn.GroupNorm(v[0], c.Int("groups", 1), v[1], v[2], (float)c.Double("eps", 1e-5)));
    }

    private static void Unary(Dictionary<string, IConformanceOp> ops, string name, Func<ConformanceCase, Var, Var> f) =>
        ops[name] = new FunctionOp(["x"], (c, v) => f(c, v[0]));

    private static void Binary(Dictionary<string, IConformanceOp> ops, string name, Func<Var, Var, Var> f) =>
        ops[name] = new FunctionOp(["a", "b"], (_, v) => f(v[0], v[1]));

    private sealed class FunctionOp(string[] inputs, Func<ConformanceCase, IReadOnlyList<Var>, Var> f) : IConformanceOp
    {
        private VjpResult Run(ExecutionContext ctx, ConformanceCase c) =>
            Vjp.Of(v => f(c, v), inputs.Select(c.Input).ToArray(), ctx);

        public Tensor Forward(ExecutionContext ctx, ConformanceCase c) => Run(ctx, c).Value;

        public IReadOnlyDictionary<string, Tensor> Backward(ExecutionContext ctx, ConformanceCase c, Tensor gy)
        {
            var grads = Run(ctx, c).Pullback(gy);
            return inputs.Select((name, i) => (name, grads[i])).ToDictionary(p => p.name, p => p.Item2);
        }
    }
}
