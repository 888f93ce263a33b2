using System.Numerics;

namespace Functional.Backends.Reference;

/// <summary>Element-wise functions and their derivatives, one switch arm per <see cref="UnaryOp"/>.</summary>
public static class ElementwiseKernels
{
    /// <summary>y = f(x); <paramref name="alpha"/> is LeakyReLU's slope, Scale's factor, AddScalar's addend.</summary>
    public static void Unary<T>(UnaryOp op, T alpha, ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++) y[i] = Apply(op, alpha, x[i]);
    }

    /// <summary>The function itself at one point.</summary>
    public static T Apply<T>(UnaryOp op, T alpha, T x) where T : IFloatingPointIeee754<T> => op switch
    {
        UnaryOp.Identity => x,
        UnaryOp.ReLU => x > T.Zero ? x : T.Zero,
        UnaryOp.LeakyReLU => x > T.Zero ? x : alpha * x,
        // Two branches so that e^(−x) never overflows for large negative x.
        UnaryOp.Sigmoid => x >= T.Zero ? T.One / (T.One + T.Exp(-x)) : T.Exp(x) / (T.One + T.Exp(x)),
        UnaryOp.Tanh => T.Tanh(x),
        UnaryOp.Scale => alpha * x,
        UnaryOp.AddScalar => x + alpha,
        UnaryOp.Square => x * x,
        UnaryOp.Sqrt => T.Sqrt(x),
        UnaryOp.Exp => T.Exp(x),
        UnaryOp.Log => T.Log(x),
        UnaryOp.Negate => -x,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary operation."),
    };

    /// <summary>dx = f′ · dy, taking f′ from x or from y = f(x), whichever is cheaper and exact.</summary>
    public static void UnaryBackward<T>(UnaryOp op, T alpha, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < dy.Length; i++) dx[i] = Derivative(op, alpha, x, y, i) * dy[i];
    }

    private static T Derivative<T>(UnaryOp op, T alpha, ReadOnlySpan<T> x, ReadOnlySpan<T> y, int i)
        where T : IFloatingPointIeee754<T>
    {
        var two = T.One + T.One;
        return op switch
        {
            UnaryOp.Identity or UnaryOp.AddScalar => T.One,
            // PyTorch's convention at the kink: the derivative at exactly 0 is 0 (ReLU) or α (LeakyReLU).
            UnaryOp.ReLU => x[i] > T.Zero ? T.One : T.Zero,
            UnaryOp.LeakyReLU => x[i] > T.Zero ? T.One : alpha,
            UnaryOp.Sigmoid => y[i] * (T.One - y[i]),
            UnaryOp.Tanh => T.One - y[i] * y[i],
            UnaryOp.Scale => alpha,
            UnaryOp.Square => two * x[i],
            UnaryOp.Sqrt => T.One / (two * y[i]),
            UnaryOp.Exp => y[i],
            UnaryOp.Log => T.One / x[i],
            UnaryOp.Negate => -T.One,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary operation."),
        };
    }

    /// <summary>
    /// y = a ∘ b over Outer × Axis × Inner. With <paramref name="bPerAxis"/>, b holds one value per Axis index,
    /// broadcast over Outer and Inner (per-channel scale and shift); otherwise a and b have equal length.
    /// </summary>
    public static void Binary<T>(BinaryOp op, in AxisGeometry g, ReadOnlySpan<T> a, ReadOnlySpan<T> b, bool bPerAxis, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < g.Length; i++)
        {
            var bv = bPerAxis ? b[i / g.Inner % g.Axis] : b[i];
            y[i] = op switch
            {
                BinaryOp.Add => a[i] + bv,
                BinaryOp.Subtract => a[i] - bv,
                BinaryOp.Multiply => a[i] * bv,
                BinaryOp.Divide => a[i] / bv,
                _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary operation."),
            };
        }
    }
}
