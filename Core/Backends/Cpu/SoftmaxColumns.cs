using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// Softmax along a strided axis (Inner &gt; 1, e.g. over the channels of every position) for a block of at most
/// <see cref="MaxWidth"/> neighbouring inner positions. Each pass walks the axis row by row, reading each row's
/// block contiguously (a column-at-a-time walk would touch one cache line per element, all in one cache set) and
/// keeping per-column maxima and sums in stack arrays. Each column still meets the axis in the Reference's order,
/// so the backward's sums are the Reference's bit for bit and only exp and log differ by their rounding. A block
/// that is not a multiple of 8 ends with a vector overlapping the previous one, masked so each column is counted
/// and written once; blocks narrower than a vector run one lane at a time with the same functions.
/// </summary>
internal static unsafe class SoftmaxColumns
{
    /// <summary>The widest block a call takes.</summary>
    public const int MaxWidth = 256;

    /// <summary>Forward over columns [c0, c0 + width) of one Axis × Inner block (y may be x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* x, float* y, int axis, int inner, int c0, int width, bool log)
    {
        if (width < 8)
        {
            for (var c = c0; c < c0 + width; c++) ForwardLane(x + c, y + c, axis, inner, log);
            return;
        }
        var (full, last, fresh) = Split(width);
        var m = stackalloc float[MaxWidth];
        var s = stackalloc float[MaxWidth];
        for (var c = 0; c < width; c++) (m[c], s[c]) = (float.NegativeInfinity, 0f);
        x += c0;
        y += c0;
        // A NaN, or +∞ (∞ − ∞), makes its column's sum NaN, and so every output of the column, as in the Reference.
        for (var a = 0; a < axis; a++)
        {
            var row = x + (long)a * inner;
            for (var c = 0; c < full; c += 8) Vector256.MaxNative(Vector256.Load(m + c), Vector256.Load(row + c)).Store(m + c);
            if (full < width) Vector256.MaxNative(Vector256.Load(m + last), Vector256.Load(row + last)).Store(m + last);
        }
        for (var a = 0; a < axis; a++)
        {
            var row = x + (long)a * inner;
            var dst = y + (long)a * inner;
            for (var c = 0; c < full; c += 8)
            {
                var e = VectorMath.Exp(Vector256.Load(row + c) - Vector256.Load(m + c));
                (Vector256.Load(s + c) + e).Store(s + c);
                if (!log) e.Store(dst + c);
            }
            if (full == width) continue;
            var et = VectorMath.Exp(Vector256.Load(row + last) - Vector256.Load(m + last)) & fresh;
            (Vector256.Load(s + last) + et).Store(s + last);
            if (!log) Vector256.ConditionalSelect(fresh, et, Vector256.Load(dst + last)).Store(dst + last);
        }
        if (log)
            for (var c = 0; c < full; c += 8) VectorMath.Log(Vector256.Load(s + c)).Store(s + c);
        if (log && full < width)
            Vector256.ConditionalSelect(fresh, VectorMath.Log(Vector256.Load(s + last)), Vector256.Load(s + last)).Store(s + last);
        for (var a = 0; a < axis; a++)
        {
            var row = x + (long)a * inner;
            var dst = y + (long)a * inner;
            for (var c = 0; c < full; c += 8)
                Finish(row + c, dst + c, m + c, s + c, log).Store(dst + c);
            if (full < width)
                Vector256.ConditionalSelect(fresh, Finish(row + last, dst + last, m + last, s + last, log), Vector256.Load(dst + last)).Store(dst + last);
        }
    }

    /// <summary>Backward over columns [c0, c0 + width) of one Axis × Inner block (dx may be dy).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* y, float* dy, float* dx, int axis, int inner, int c0, int width, bool log)
    {
        if (width < 8)
        {
            for (var c = c0; c < c0 + width; c++) BackwardLane(y + c, dy + c, dx + c, axis, inner, log);
            return;
        }
        var (full, last, fresh) = Split(width);
        var dot = stackalloc float[MaxWidth];
        new Span<float>(dot, width).Clear();
        y += c0;
        dy += c0;
        dx += c0;
        for (var a = 0; a < axis; a++)
        {
            var off = (long)a * inner;
            for (var c = 0; c < full; c += 8) (Vector256.Load(dot + c) + Term(y + off + c, dy + off + c, log)).Store(dot + c);
            if (full < width) (Vector256.Load(dot + last) + (Term(y + off + last, dy + off + last, log) & fresh)).Store(dot + last);
        }
        for (var a = 0; a < axis; a++)
        {
            var off = (long)a * inner;
            for (var c = 0; c < full; c += 8) Gradient(y + off + c, dy + off + c, dot + c, log).Store(dx + off + c);
            if (full < width)
                Vector256.ConditionalSelect(fresh, Gradient(y + off + last, dy + off + last, dot + last, log), Vector256.Load(dx + off + last))
                    .Store(dx + off + last);
        }
    }

    // Whole vectors, the start of the overlapping last one, and its lanes that no whole vector covers.
    private static (int Full, int Last, Vector256<float> Fresh) Split(int width)
    {
        var full = width & ~7;
        var last = width - 8;
        var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) + Vector256.Create(last);
        return (full, last, Vector256.GreaterThanOrEqual(lane, Vector256.Create(full)).AsSingle());
    }

    // log: x − m − log Σ (s holds the logarithm by now); otherwise e / Σ, with e stored in y by the second pass.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Finish(float* x, float* y, float* m, float* s, bool log) => log
        ? Vector256.Load(x) - Vector256.Load(m) - Vector256.Load(s)
        : Vector256.Load(y) / Vector256.Load(s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Term(float* y, float* dy, bool log) =>
        log ? Vector256.Load(dy) : Vector256.Load(dy) * Vector256.Load(y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Gradient(float* y, float* dy, float* dot, bool log)
    {
        var (v, g, d) = (Vector256.Load(y), Vector256.Load(dy), Vector256.Load(dot));
        return log ? g - VectorMath.Exp(v) * d : v * (g - d);
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
