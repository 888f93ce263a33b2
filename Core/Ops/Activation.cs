using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>
/// An element-wise activation as a value: a function named on the seam plus its parameter. Each activation
/// is one line over <see cref="UnaryOp"/>, whose kernel holds both f and f′.
/// </summary>
/// <param name="Name">Starts error messages and summaries.</param>
/// <param name="Op">The seam function.</param>
/// <param name="Alpha">LeakyReLU's negative slope; unused by the others.</param>
public sealed record Activation(string Name, UnaryOp Op, float Alpha = 0f)
{
    /// <summary>
    /// 0 for x &lt; 0, else x, as PyTorch's relu: NaN propagates (a NaN is never hidden as 0). The backward passes dy
    /// where x is not ≤ 0 (so a NaN's gradient passes) and gives 0 elsewhere, 0 at the kink, as PyTorch.
    /// </summary>
    public static Activation ReLU { get; } = new("ReLU", UnaryOp.ReLU);

    /// <summary>x for x &gt; 0, else slope·x; derivative 1 or slope.</summary>
    public static Activation LeakyReLU(float slope = 0.01f) => new("LeakyReLU", UnaryOp.LeakyReLU, slope);

    /// <summary>1/(1+e^−x); derivative y(1−y).</summary>
    public static Activation Sigmoid { get; } = new("Sigmoid", UnaryOp.Sigmoid);

    /// <summary>tanh x; derivative 1−y².</summary>
    public static Activation Tanh { get; } = new("Tanh", UnaryOp.Tanh);

    /// <summary>y = f(x), same shape.</summary>
    public Tensor Forward(ExecutionContext ctx, Tensor x) => SeamCalls.Unary(ctx, Op, x, Alpha);

    /// <summary>dx = f′ ⊙ dy, from the forward's input x and output y.</summary>
    /// <exception cref="ShapeException">x, y and dy do not share one shape.</exception>
    public Tensor Backward(ExecutionContext ctx, Tensor x, Tensor y, Tensor dy, string? layer = null)
    {
        var where = LayerName.Of(Name, layer);
        if (y.Shape != x.Shape) throw new ShapeException($"{where}: output {y.Shape} does not match input {x.Shape}.");
        SeamCalls.CheckGradient(where, dy, x.Shape);
        var dx = SeamCalls.Output(ctx, x.Shape);
        ctx.Backend.UnaryBackward(Op, Alpha, x.Storage, y.Storage, dy.Storage, dx.Storage);
        return dx;
    }
}
