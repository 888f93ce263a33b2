using Functional.Backends;
using Functional.Ops;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Functions;

/// <summary>
/// Differentiable tensor functions: each takes and returns immutable <see cref="Var"/>s (plain tensors convert to
/// constants), runs its forward through the backend seam, and attaches its pullback to the result, so any function
/// built from them can be differentiated by <see cref="Vjp"/> and <see cref="Grad"/>. Shapes follow PyTorch:
/// element-wise ops broadcast by its rule (align trailing dims; a dim of 1 stretches), reductions take a list of
/// dims and <c>keepDim</c>, negative dims count from the end. An op runs on the context of its first operand that
/// came from a <see cref="Vjp"/> input; an op on constants alone runs where the data lives (a device tensor's own
/// backend, else the one-thread Cpu backend), as optimizer steps over bare trees do.
/// </summary>
public static partial class Fn
{
    /// <summary>y = x + s.</summary>
    public static Var Add(Var x, float s) => Unary(UnaryOp.AddScalar, s, x);

    /// <summary>y = s·x.</summary>
    public static Var Mul(Var x, float s) => Unary(UnaryOp.Scale, s, x);

    /// <summary>y = −x.</summary>
    public static Var Neg(Var x) => Unary(UnaryOp.Negate, 0f, x);

    /// <summary>y = eˣ.</summary>
    public static Var Exp(Var x) => Unary(UnaryOp.Exp, 0f, x);

    /// <summary>y = ln x (NaN below 0, −∞ at 0, as PyTorch).</summary>
    public static Var Log(Var x) => Unary(UnaryOp.Log, 0f, x);

    /// <summary>y = √x.</summary>
    public static Var Sqrt(Var x) => Unary(UnaryOp.Sqrt, 0f, x);

    /// <summary>y = x²; derivative 2x.</summary>
    public static Var Square(Var x) => Unary(UnaryOp.Square, 0f, x);

    /// <summary>ReLU: 0 for x &lt; 0, else x (NaN passes); derivative 0 at the kink.</summary>
    public static Var Relu(Var x) => Unary(UnaryOp.ReLU, 0f, x);

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    public static Var LeakyRelu(Var x, float slope = 0.01f) => Unary(UnaryOp.LeakyReLU, slope, x);

    /// <summary>1/(1 + e⁻ˣ).</summary>
    public static Var Sigmoid(Var x) => Unary(UnaryOp.Sigmoid, 0f, x);

    /// <summary>tanh x.</summary>
    public static Var Tanh(Var x) => Unary(UnaryOp.Tanh, 0f, x);

    /// <summary>|x|; derivative sign(x), 0 at 0.</summary>
    public static Var Abs(Var x) => Point(PointOp.Abs, 0f, 0f, x);

    /// <summary>x^p; derivative p·x^(p−1) (NaN for a negative base and a fractional p, as PyTorch).</summary>
    public static Var Pow(Var x, float p) => Point(PointOp.Pow, p, 0f, x);

    /// <summary>min(max(x, low), high); the gradient passes where low ≤ x ≤ high.</summary>
    /// <exception cref="ArgumentException">low &gt; high.</exception>
    public static Var Clamp(Var x, float low, float high) => low <= high
        ? Point(PointOp.Clamp, low, high, x)
        : throw new ArgumentException($"clamp: the lower bound {low} is above the upper bound {high}.");

    /// <summary>GELU, exact (x·Φ(x)) or, with <paramref name="tanh"/>, PyTorch's <c>approximate="tanh"</c> form.</summary>
    public static Var Gelu(Var x, bool tanh = false) => Point(tanh ? PointOp.GeluTanh : PointOp.Gelu, 0f, 0f, x);

    /// <summary>SiLU (Swish): x·σ(x).</summary>
    public static Var Silu(Var x) => Point(PointOp.SiLU, 0f, 0f, x);

    /// <summary>Hardswish: x·relu6(x + 3)/6.</summary>
    public static Var Hardswish(Var x) => Point(PointOp.Hardswish, 0f, 0f, x);

    /// <summary>Mish: x·tanh(softplus(x)).</summary>
    public static Var Mish(Var x) => Point(PointOp.Mish, 0f, 0f, x);

    /// <summary>A value whose gradient is never propagated (its pullback is dropped): the same numbers, as a constant.</summary>
    public static Var StopGradient(Var x) => Within(ContextOf(x), x.Value);

    /// <summary>An element-wise function named on the seam with its seam backward.</summary>
    internal static Var Unary(UnaryOp op, float alpha, Var x)
    {
        var ctx = ContextOf(x);
        var xv = x.Value;
        var y = SeamCalls.Unary(ctx, op, xv, alpha);
        return Make(ctx, y, [x], g =>
        {
            var dx = SeamCalls.Output(ctx, x.Shape);
            ctx.Backend.UnaryBackward(op, alpha, xv.Storage, y.Storage, g.Storage, dx.Storage);
            return [dx];
        });
    }

    internal static Var Point(PointOp op, float a, float b, Var x)
    {
        var ctx = ContextOf(x);
        var y = SeamCalls.Output(ctx, x.Shape);
        ctx.Backend.Pointwise(op, a, b, x.Value.Storage, y.Storage);
        return Make(ctx, y, [x], g =>
        {
            var dx = SeamCalls.Output(ctx, x.Shape);
            ctx.Backend.PointwiseBackward(op, a, b, x.Value.Storage, g.Storage, dx.Storage);
            return [dx];
        });
    }

    /// <summary>A constant that runs its ops on <paramref name="ctx"/> (a pullback's own intermediate values).</summary>
    internal static Var Within(ExecutionContext ctx, Tensor value) => new(value, ctx, false, [], null, 0);

    /// <summary>A result of <paramref name="parents"/>, differentiable when any of them is.</summary>
    internal static Var Make(ExecutionContext ctx, Tensor value, Var[] parents, Func<Tensor, Tensor?[]> pullback, long multAdds = 0) =>
        new(value, ctx, parents.Any(p => p.Differentiable), parents, pullback, multAdds);

    /// <summary>The context an op on <paramref name="operands"/> runs on (see the class remarks).</summary>
    internal static ExecutionContext ContextOf(params ReadOnlySpan<Var> operands)
    {
        foreach (var v in operands)
            if (v.Context is { } c) return c;
        foreach (var v in operands)
            if (v.Value.Storage.Owner is { } owner) return new ExecutionContext(owner);
        return ExecutionContext.Cpu(1);
    }

}
