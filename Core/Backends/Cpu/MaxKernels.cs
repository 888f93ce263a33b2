using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// Maxima with the Reference's rule, bit for bit: a running maximum from −∞ that takes a value only if it is
/// greater, or NaN. So a NaN anywhere wins, and the last NaN in order is the one returned; among equal maxima the
/// first one stays, which only shows for zeros (+0 and −0 compare equal).
/// </summary>
internal static unsafe class MaxKernels
{
    /// <summary>
    /// The maximum over <paramref name="strips"/> strips of <paramref name="length"/> floats, strip s at
    /// x + s·<paramref name="stride"/>, taken in that order. Lanes find the value and whether a NaN occurs; the
    /// rule's choices between equal-comparing bits (which NaN, which zero) are settled by a scan in order, which only
    /// runs when the result is a NaN or a zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Strips(float* x, int strips, int length, long stride)
    {
        var vm = Vector256.Create(float.NegativeInfinity);
        var nan = Vector256<float>.Zero;
        var m = float.NegativeInfinity;
        var sawNaN = false;
        for (var s = 0; s < strips; s++)
        {
            var p = x + s * stride;
            var i = 0;
            for (; i <= length - 8; i += 8)
            {
                var v = Vector256.Load(p + i);
                vm = Vector256.MaxNative(vm, v);
                nan |= ~Vector256.Equals(v, v);
            }
            for (; i < length; i++)
            {
                if (float.IsNaN(p[i])) sawNaN = true;
                else if (p[i] > m) m = p[i];
            }
        }
        if (sawNaN || nan != Vector256<float>.Zero) return LastNaN(x, strips, length, stride);
        for (var j = 0; j < 8; j++) if (vm[j] > m) m = vm[j];
        return m == 0f ? FirstZero(x, strips, length, stride) : m;
    }

    /// <summary>y[i] = the maximum over the axis of column i, for columns 0..inner−1 of one Axis × Inner block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Columns(float* x, float* y, int axis, int inner)
    {
        if (inner < 8)
        {
            for (var c = 0; c < inner; c++)
            {
                var acc = float.NegativeInfinity;
                for (var a = 0; a < axis; a++)
                {
                    var v = x[(long)a * inner + c];
                    acc = v > acc || float.IsNaN(v) ? v : acc;
                }
                y[c] = acc;
            }
            return;
        }
        // Each lane runs the Reference's step along the axis, so it is the Reference's result. Rows of a block of
        // columns are read contiguously into per-column maxima on the stack; when the block is not a multiple of 8
        // the last vector overlaps the previous one, which applies the same value twice in a row: no change.
        var best = stackalloc float[256];
        for (var c0 = 0; c0 < inner; c0 += 256)
        {
            var width = Math.Min(256, inner - c0);
            // A last block narrower than a vector is moved back to end at inner: those columns are done again whole.
            if (width < 8) c0 = inner - (width = 8);
            for (var c = 0; c < width; c++) best[c] = float.NegativeInfinity;
            for (var a = 0; a < axis; a++)
            {
                var row = x + (long)a * inner + c0;
                for (var c = 0; c < width; c += 8)
                {
                    var col = Math.Min(c, width - 8);
                    var (v, m) = (Vector256.Load(row + col), Vector256.Load(best + col));
                    Vector256.ConditionalSelect(Vector256.GreaterThan(v, m) | ~Vector256.Equals(v, v), v, m).Store(best + col);
                }
            }
            new Span<float>(best, width).CopyTo(new Span<float>(y + c0, width));
        }
    }

    private static float LastNaN(float* x, int strips, int length, long stride)
    {
        for (var s = strips - 1; s >= 0; s--)
            for (var i = length - 1; i >= 0; i--)
                if (float.IsNaN(x[s * stride + i])) return x[s * stride + i];
        return float.NaN;
    }

    private static float FirstZero(float* x, int strips, int length, long stride)
    {
        for (var s = 0; s < strips; s++)
            for (var i = 0; i < length; i++)
                if (x[s * stride + i] == 0f) return x[s * stride + i];
        return 0f;
    }
}
