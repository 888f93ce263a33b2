using System.Numerics;

namespace Functional.Backends.Reference;

/// <summary>
/// The <see cref="PointOp"/> family and its derivatives, generic over the element type, in PyTorch's formulas and
/// order of operations (ATen's CPU activation kernels), so float results match PyTorch's float32 ones to rounding.
/// </summary>
public static class PointwiseKernels
{
    private const double SqrtHalf = 0.70710678118654752440, InvSqrt2Pi = 0.39894228040143267794;
    private const double TanhBeta = 0.79788456080286535588, TanhKappa = 0.044715;   // √(2/π), GELU's cubic factor

    /// <summary>y = f(x).</summary>
    public static void Forward<T>(PointOp op, T a, T b, ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++) y[i] = Apply(op, a, b, x[i]);
    }

    /// <summary>dx = f′(x)·dy; Clamp's is a selection, so an infinite dy outside the bounds gives 0, not NaN.</summary>
    public static void Backward<T>(PointOp op, T a, T b, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx) where T : IFloatingPointIeee754<T>
    {
        if (op == PointOp.Clamp)
        {
            for (var i = 0; i < x.Length; i++) dx[i] = x[i] >= a && x[i] <= b ? dy[i] : T.Zero;
            return;
        }
        for (var i = 0; i < x.Length; i++) dx[i] = dy[i] * Derivative(op, a, x[i]);
    }

    /// <summary>The function at one point.</summary>
    public static T Apply<T>(PointOp op, T a, T b, T x) where T : IFloatingPointIeee754<T>
    {
        var half = T.CreateChecked(0.5);
        switch (op)
        {
            case PointOp.Abs: return T.Abs(x);
            case PointOp.Pow: return T.Pow(x, a);
            // Comparisons are false for NaN, so a NaN passes, as PyTorch's clamp.
            case PointOp.Clamp: return x < a ? a : x > b ? b : x;
            case PointOp.Gelu: return x * half * (T.One + T.CreateChecked(SpecialFunctions.Erf(double.CreateChecked(x) * SqrtHalf)));
            case PointOp.GeluTanh:
            {
                var inner = T.CreateChecked(TanhBeta) * (x + T.CreateChecked(TanhKappa) * x * x * x);
                return half * x * (T.One + T.Tanh(inner));
            }
            case PointOp.SiLU: return x * Sigmoid(x);
            case PointOp.Hardswish:
            {
                var three = T.CreateChecked(3); var six = T.CreateChecked(6);
                return x * T.Min(T.Max(x + three, T.Zero), six) / six;
            }
            case PointOp.Mish: return x * T.Tanh(Softplus(x));
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown point operation.");
        }
    }

    /// <summary>f′(x) (Clamp's as an indicator; <see cref="Backward{T}"/> selects instead).</summary>
    public static T Derivative<T>(PointOp op, T a, T x) where T : IFloatingPointIeee754<T>
    {
        var half = T.CreateChecked(0.5);
        switch (op)
        {
            // sgn: 0 at 0, NaN for NaN (x·0).
            case PointOp.Abs: return x > T.Zero ? T.One : x < T.Zero ? -T.One : x * T.Zero;
            case PointOp.Pow: return a == T.Zero ? T.Zero : a * T.Pow(x, a - T.One);
            case PointOp.Clamp: return T.One;
            case PointOp.Gelu:
            {
                var cdf = half * (T.One + T.CreateChecked(SpecialFunctions.Erf(double.CreateChecked(x) * SqrtHalf)));
                var pdf = T.Exp(-half * x * x) * T.CreateChecked(InvSqrt2Pi);
                return cdf + x * pdf;
            }
            case PointOp.GeluTanh:
            {
                var (beta, kappa) = (T.CreateChecked(TanhBeta), T.CreateChecked(TanhKappa));
                var x2 = x * x;
                var t = T.Tanh(beta * (x + kappa * x2 * x));
                var left = half * x;
                return half * (T.One + t) + left * (T.One - t * t) * beta * (T.One + T.CreateChecked(3) * kappa * x2);
            }
            case PointOp.SiLU:
            {
                var s = Sigmoid(x);
                return s * (T.One + x * (T.One - s));
            }
            case PointOp.Hardswish:
            {
                var three = T.CreateChecked(3);
                return x < -three ? T.Zero : x <= three ? x / three + half : T.One;
            }
            case PointOp.Mish:
            {
                var s = Sigmoid(x);
                var t = T.Tanh(T.Log(T.One + T.Exp(x)));
                return t + x * s * (T.One - t * t);
            }
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown point operation.");
        }
    }

    // Two branches so that e^(−x) never overflows.
    private static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T> =>
        x >= T.Zero ? T.One / (T.One + T.Exp(-x)) : T.Exp(x) / (T.One + T.Exp(x));

    // PyTorch's softplus with β = 1 and threshold 20: linear above it, where log(1 + eˣ) = x to float precision.
    private static T Softplus<T>(T x) where T : IFloatingPointIeee754<T> =>
        x > T.CreateChecked(20) ? x : T.Log(T.One + T.Exp(x));

    /// <summary>dst[i] = src[offset(i)] for i in [<paramref name="start"/>, start + count) of the view.</summary>
    public static void Gather<T>(in GatherGeometry g, ReadOnlySpan<T> src, Span<T> dst, int start, int count)
    {
        var (d, s) = (g.Dims, g.Strides);
        for (var i = start; i < start + count; i++)
        {
            int rem = i, off = g.Offset;
            off += rem % d.F * s.F; rem /= d.F;
            off += rem % d.E * s.E; rem /= d.E;
            off += rem % d.D * s.D; rem /= d.D;
            off += rem % d.C * s.C; rem /= d.C;
            off += rem % d.B * s.B; rem /= d.B;
            off += rem * s.A;
            dst[i] = src[off];
        }
    }

    /// <summary>y = cond ≠ 0 ? a : b.</summary>
    public static void Where<T>(ReadOnlySpan<T> cond, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < y.Length; i++) y[i] = cond[i] != T.Zero ? a[i] : b[i];
    }

    /// <summary>y = 1 where a op b, else 0.</summary>
    public static void Compare<T>(CompareOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < y.Length; i++)
            y[i] = (op == CompareOp.Equal ? a[i] == b[i] : a[i] > b[i]) ? T.One : T.Zero;
    }
}
