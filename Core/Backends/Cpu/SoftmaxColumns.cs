using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// Softmax along a strided axis (Inner &gt; 1, e.g. over the channels of every position): eight neighbouring inner
/// positions are eight lanes, and each lane walks the axis in the Reference's order, so maxima and the backward's
/// sums are the Reference's bit for bit and only exp and log differ by their rounding. A column range that is not a
/// multiple of 8 ends with a vector overlapping the previous one (the same values again); ranges narrower than a
/// vector run one lane at a time with the same functions.
/// </summary>
internal static unsafe class SoftmaxColumns
{
    /// <summary>Forward over columns [c0, c0 + width) of one Axis × Inner block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* x, float* y, int axis, int inner, int c0, int width, bool log)
    {
        if (width < 8)
        {
            for (var c = c0; c < c0 + width; c++) ForwardLane(x + c, y + c, axis, inner, log);
            return;
        }
        for (var c = c0; c < c0 + width; c += 8)
        {
            var col = Math.Min(c, c0 + width - 8);
            ForwardBlock(x + col, y + col, axis, inner, log);
        }
    }

    /// <summary>Backward over columns [c0, c0 + width) of one Axis × Inner block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* y, float* dy, float* dx, int axis, int inner, int c0, int width, bool log)
    {
        if (width < 8)
        {
            for (var c = c0; c < c0 + width; c++) BackwardLane(y + c, dy + c, dx + c, axis, inner, log);
            return;
        }
        for (var c = c0; c < c0 + width; c += 8)
        {
            var col = Math.Min(c, c0 + width - 8);
            BackwardBlock(y + col, dy + col, dx + col, axis, inner, log);
        }
    }

    private static void ForwardBlock(float* x, float* y, int axis, int inner, bool log)
    {
        var m = Vector256.Create(float.NegativeInfinity);
        for (var a = 0; a < axis; a++) m = Vector256.Max(m, Vector256.Load(x + (long)a * inner));
        var sum = Vector256<float>.Zero;
        for (var a = 0; a < axis; a++)
        {
            var e = VectorMath.Exp(Vector256.Load(x + (long)a * inner) - m);
            sum += e;
            if (!log) e.Store(y + (long)a * inner);
        }
        if (log)
        {
            var logSum = VectorMath.Log(sum);
            for (var a = 0; a < axis; a++) (Vector256.Load(x + (long)a * inner) - m - logSum).Store(y + (long)a * inner);
        }
        else
            for (var a = 0; a < axis; a++) (Vector256.Load(y + (long)a * inner) / sum).Store(y + (long)a * inner);
    }

    private static void BackwardBlock(float* y, float* dy, float* dx, int axis, int inner, bool log)
    {
        var dot = Vector256<float>.Zero;
        for (var a = 0; a < axis; a++)
        {
            var g = Vector256.Load(dy + (long)a * inner);
            dot += log ? g : g * Vector256.Load(y + (long)a * inner);
        }
        for (var a = 0; a < axis; a++)
        {
            var (v, g) = (Vector256.Load(y + (long)a * inner), Vector256.Load(dy + (long)a * inner));
            (log ? g - VectorMath.Exp(v) * dot : v * (g - dot)).Store(dx + (long)a * inner);
        }
    }

    private static void ForwardLane(float* x, float* y, int axis, int inner, bool log)
    {
        var m = float.NegativeInfinity;
        for (var a = 0; a < axis; a++) m = MathF.Max(m, x[(long)a * inner]);
        var sum = 0f;
        for (var a = 0; a < axis; a++)
        {
            var e = VectorMaps.One<ExpFunction>(x[(long)a * inner] - m);
            sum += e;
            if (!log) y[(long)a * inner] = e;
        }
        var logSum = VectorMaps.One<LogFunction>(sum);
        for (var a = 0; a < axis; a++)
        {
            var k = (long)a * inner;
            y[k] = log ? x[k] - m - logSum : y[k] / sum;
        }
    }

    private static void BackwardLane(float* y, float* dy, float* dx, int axis, int inner, bool log)
    {
        var dot = 0f;
        for (var a = 0; a < axis; a++)
        {
            var k = (long)a * inner;
            dot += log ? dy[k] : dy[k] * y[k];
        }
        for (var a = 0; a < axis; a++)
        {
            var k = (long)a * inner;
            dx[k] = log ? dy[k] - VectorMaps.One<ExpFunction>(y[k]) * dot : y[k] * (dy[k] - dot);
        }
    }
}
