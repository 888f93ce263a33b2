using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// 256-bit element-wise kernels. Each computes exactly the Reference formula (same operations, same order), so
/// results match it bit for bit; the transcendental functions' forward maps are in <see cref="VectorMaps"/>, and
/// their derivatives, which need only y or x and plain arithmetic, are here and bit-identical too.
/// </summary>
internal static unsafe class VectorKernels
{
    /// <summary>y = f(x) over n elements; false if <paramref name="op"/> has no vector form here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Unary(UnaryOp op, float alpha, float* x, float* y, int n)
    {
        if (op is not (UnaryOp.Identity or UnaryOp.ReLU or UnaryOp.LeakyReLU or UnaryOp.Scale or UnaryOp.AddScalar
            or UnaryOp.Square or UnaryOp.Sqrt or UnaryOp.Negate)) return false;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(alpha);
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.Load(x + i);
                var r = op switch
                {
                    // Only x < 0 is replaced, so a NaN passes (an ordered compare is false for NaN), as in the Reference.
                    UnaryOp.ReLU => Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<float>.Zero), Vector256<float>.Zero, v),
                    UnaryOp.LeakyReLU => Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, va * v),
                    UnaryOp.Scale => va * v,
                    UnaryOp.AddScalar => v + va,
                    UnaryOp.Square => v * v,
                    UnaryOp.Sqrt => Vector256.Sqrt(v),
                    UnaryOp.Negate => -v,
                    _ => v,
                };
                r.Store(y + i);
            }
        }
        for (; i < n; i++)
        {
            var v = x[i];
            y[i] = op switch
            {
                UnaryOp.ReLU => v < 0f ? 0f : v,
                UnaryOp.LeakyReLU => v > 0f ? v : alpha * v,
                UnaryOp.Scale => alpha * v,
                UnaryOp.AddScalar => v + alpha,
                UnaryOp.Square => v * v,
                UnaryOp.Sqrt => MathF.Sqrt(v),
                UnaryOp.Negate => -v,
                _ => v,
            };
        }
        return true;
    }

    /// <summary>dx = f′·dy, with f′ from x or from y = f(x) as in the Reference (for every op); ReLU's selects as the Reference's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void UnaryBackward(UnaryOp op, float alpha, float* x, float* y, float* dy, float* dx, int n)
    {
        if (op == UnaryOp.ReLU)
        {
            ReLUBackward(x, dy, dx, n);
            return;
        }
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (one, va, two) = (Vector256.Create(1f), Vector256.Create(alpha), Vector256.Create(2f));
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.Load(x + i);
                var w = Vector256.Load(y + i);
                var d = op switch
                {
                    UnaryOp.LeakyReLU => Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), one, va),
                    UnaryOp.Sigmoid => w * (one - w),
                    UnaryOp.Tanh => one - w * w,
                    UnaryOp.Scale => va,
                    UnaryOp.Square => two * v,
                    UnaryOp.Sqrt => one / (two * w),
                    UnaryOp.Exp => w,
                    UnaryOp.Log => one / v,
                    UnaryOp.Negate => -one,
                    _ => one,
                };
                (d * Vector256.Load(dy + i)).Store(dx + i);
            }
        }
        for (; i < n; i++)
        {
            var (v, w) = (x[i], y[i]);
            var d = op switch
            {
                UnaryOp.LeakyReLU => v > 0f ? 1f : alpha,
                UnaryOp.Sigmoid => w * (1f - w),
                UnaryOp.Tanh => 1f - w * w,
                UnaryOp.Scale => alpha,
                UnaryOp.Square => 2f * v,
                UnaryOp.Sqrt => 1f / (2f * w),
                UnaryOp.Exp => w,
                UnaryOp.Log => 1f / v,
                UnaryOp.Negate => -1f,
                _ => 1f,
            };
            dx[i] = d * dy[i];
        }
    }

    // PyTorch's threshold_backward: dx = 0 where x ≤ 0, else dy. A NaN x is not ≤ 0, so its gradient passes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReLUBackward(float* x, float* dy, float* dx, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
                Vector256.ConditionalSelect(Vector256.LessThanOrEqual(Vector256.Load(x + i), Vector256<float>.Zero), Vector256<float>.Zero,
                    Vector256.Load(dy + i)).Store(dx + i);
        for (; i < n; i++) dx[i] = x[i] <= 0f ? 0f : dy[i];
    }

    /// <summary>y = a ∘ b over n elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Binary(BinaryOp op, float* a, float* b, float* y, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) Apply(op, Vector256.Load(a + i), Vector256.Load(b + i)).Store(y + i);
        for (; i < n; i++) y[i] = Apply(op, a[i], b[i]);
    }

    /// <summary>y = a ∘ b over n elements with one b for all.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BinaryScalar(BinaryOp op, float* a, float b, float* y, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vb = Vector256.Create(b);
            for (; i <= n - 8; i += 8) Apply(op, Vector256.Load(a + i), vb).Store(y + i);
        }
        for (; i < n; i++) y[i] = Apply(op, a[i], b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Apply(BinaryOp op, Vector256<float> a, Vector256<float> b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary operation."),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Apply(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Subtract => a - b,
        BinaryOp.Multiply => a * b,
        BinaryOp.Divide => a / b,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary operation."),
    };

    /// <summary>next = p − lr·g (plain SGD), eight lanes at a time with the scalar loop's two roundings (no fused multiply-add).</summary>
    public static void Descend(ReadOnlySpan<float> p, ReadOnlySpan<float> g, float lr, Span<float> next)
    {
        var i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
        {
            var vlr = System.Runtime.Intrinsics.Vector256.Create(lr);
            for (; i <= p.Length - 8; i += 8)
                (System.Runtime.Intrinsics.Vector256.Create(p.Slice(i, 8)) - vlr * System.Runtime.Intrinsics.Vector256.Create(g.Slice(i, 8)))
                    .CopyTo(next.Slice(i, 8));
        }
        for (; i < p.Length; i++) next[i] = p[i] - lr * g[i];
    }
}
