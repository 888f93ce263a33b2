using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// Softmax and log-softmax along a contiguous row (Inner = 1), the Reference's formulas with exp from
/// <see cref="VectorMath"/>: the maximum is exact, the sum of exponentials runs in eight lanes folded in a fixed
/// order, and a tail shorter than a vector goes through an eight-lane buffer. Strided axes are in
/// <see cref="SoftmaxColumns"/>.
/// </summary>
internal static unsafe class SoftmaxRows
{
    /// <summary>y = softmax(x) or log-softmax(x) over n contiguous elements (y may be x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* x, float* y, int n, bool log)
    {
        var m = Max(x, n);
        var vm = Vector256.Create(m);
        var acc = Vector256<float>.Zero;
        var i = 0;
        // A NaN, or +∞ (∞ − ∞), makes the sum NaN, and so every output of the row, as in the Reference.
        for (; i <= n - 8; i += 8)
        {
            var e = VectorMath.Exp(Vector256.Load(x + i) - vm);
            acc += e;
            if (!log) e.Store(y + i);
        }
        var sum = Vector256.Sum(acc);
        if (i < n)
        {
            var buffer = stackalloc float[8];
            for (var j = 0; j < n - i; j++) buffer[j] = x[i + j] - m;
            VectorMaps.Map<ExpFunction>(buffer, buffer, n - i);
            for (var j = 0; j < n - i; j++)
            {
                sum += buffer[j];
                if (!log) y[i + j] = buffer[j];
            }
        }
        if (log)
        {
            var logSum = MathF.Log(sum);
            var vl = Vector256.Create(logSum);
            for (i = 0; i <= n - 8; i += 8) (Vector256.Load(x + i) - vm - vl).Store(y + i);
            for (; i < n; i++) y[i] = x[i] - m - logSum;
        }
        else
        {
            var vs = Vector256.Create(sum);
            for (i = 0; i <= n - 8; i += 8) (Vector256.Load(y + i) / vs).Store(y + i);
            for (; i < n; i++) y[i] /= sum;
        }
    }

    /// <summary>softmax dx = y ⊙ (dy − Σ dy·y); log-softmax dx = dy − e^y · Σ dy (dx may be dy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* y, float* dy, float* dx, int n, bool log)
    {
        var dot = log ? Simd.Sum(dy, n) : Simd.Dot(dy, y, n);
        var vd = Vector256.Create(dot);
        var i = 0;
        if (log)
        {
            for (; i <= n - 8; i += 8)
                (Vector256.Load(dy + i) - VectorMath.Exp(Vector256.Load(y + i)) * vd).Store(dx + i);
            if (i < n)
            {
                var e = stackalloc float[8];
                VectorMaps.Tail<ExpFunction>(y + i, e, n - i);
                for (var j = 0; j < n - i; j++) dx[i + j] = dy[i + j] - e[j] * dot;
            }
            return;
        }
        for (; i <= n - 8; i += 8)
        {
            var v = Vector256.Load(y + i);
            (v * (Vector256.Load(dy + i) - vd)).Store(dx + i);
        }
        for (; i < n; i++) dx[i] = y[i] * (dy[i] - dot);
    }

    // The row's maximum by the one-instruction max, which may drop a NaN: a NaN poisons the sum anyway.
    private static float Max(float* x, int n)
    {
        var m = float.NegativeInfinity;
        var i = 0;
        if (n >= 8)
        {
            var vm = Vector256.Load(x);
            for (i = 8; i <= n - 8; i += 8) vm = Vector256.MaxNative(vm, Vector256.Load(x + i));
            for (var j = 0; j < 8; j++) m = MathF.Max(m, vm[j]);
        }
        for (; i < n; i++) m = MathF.Max(m, x[i]);
        return m;
    }
}
