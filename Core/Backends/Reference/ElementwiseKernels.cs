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
        // PyTorch's relu: only x < 0 becomes 0, so NaN (and −0) pass through unchanged. `x > 0 ? x : 0` hid a NaN.
        UnaryOp.ReLU => x < T.Zero ? T.Zero : x,
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

    /// <summary>
    /// dx = f′ · dy, taking f′ from x or from y = f(x), whichever is cheaper and exact. ReLU's is a selection, as
    /// PyTorch's threshold_backward: dx = 0 where x ≤ 0, else dy. A NaN x is not ≤ 0, so its dy passes, and a
    /// non-finite dy where x ≤ 0 gives 0, not 0·∞ = NaN.
    /// </summary>
    public static void UnaryBackward<T>(UnaryOp op, T alpha, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        if (op == UnaryOp.ReLU)
        {
            for (var i = 0; i < dy.Length; i++) dx[i] = x[i] <= T.Zero ? T.Zero : dy[i];
            return;
        }
        for (var i = 0; i < dy.Length; i++) dx[i] = Derivative(op, alpha, x, y, i) * dy[i];
    }

    private static T Derivative<T>(UnaryOp op, T alpha, ReadOnlySpan<T> x, ReadOnlySpan<T> y, int i)
        where T : IFloatingPointIeee754<T>
    {
        var two = T.One + T.One;
        return op switch
        {
            UnaryOp.Identity or UnaryOp.AddScalar => T.One,
            // PyTorch's convention at the kink: the derivative at exactly 0 is 0 (ReLU) or α (LeakyReLU). A NaN x
            // is not ≤ 0, so ReLU passes it (as UnaryBackward's selection) and LeakyReLU scales it by α.
            UnaryOp.ReLU => x[i] <= T.Zero ? T.Zero : T.One,
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
