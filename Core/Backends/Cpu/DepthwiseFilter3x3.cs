using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The depthwise filter gradient of a 3×3 kernel at unit stride, the common case: each vector of dy is loaded once
/// and meets the nine shifted vectors of x it multiplies, with the nine tap sums (and the bias sum) held in
/// registers over the whole plane. The generic path streams dy once per tap instead.
/// </summary>
internal static unsafe class DepthwiseFilter3x3
{
    /// <summary>
    /// acc[4t] += Σ dy·x over the plane for tap t (and acc[36] += Σ dy when <paramref name="bias"/>): dy rows are
    /// <paramref name="dyCols"/> wide (a multiple of 8, zero past the output), x is the zero-bordered plane with
    /// rows <paramref name="cols"/> wide, taps <paramref name="rowStep"/> apart down and <paramref name="colStep"/>
    /// across. When <paramref name="masked"/>, the last vector of a row reads x through <paramref name="mask"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Plane(float* dy, int dyCols, float* x, int cols, int rowStep, int colStep, int rows, bool masked,
        Vector256<float> mask, Vector256<float>* acc, bool bias)
    {
        var (t0, t1, t2, t3, t4) = (acc[0], acc[4], acc[8], acc[12], acc[16]);
        var (t5, t6, t7, t8, b) = (acc[20], acc[24], acc[28], acc[32], acc[36]);
        var full = masked ? dyCols - 8 : dyCols;
        for (var r = 0; r < rows; r++)
        {
            var d = dy + r * dyCols;
            var s0 = x + r * cols;
            var s1 = s0 + rowStep;
            var s2 = s1 + rowStep;
            for (var c = 0; c < full; c += 8)
            {
                var v = Vector256.Load(d + c);
                t0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s0 + c), t0);
                t1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s0 + c + colStep), t1);
                t2 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s0 + c + 2 * colStep), t2);
                t3 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s1 + c), t3);
                t4 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s1 + c + colStep), t4);
                t5 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s1 + c + 2 * colStep), t5);
                t6 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s2 + c), t6);
                t7 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s2 + c + colStep), t7);
                t8 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s2 + c + 2 * colStep), t8);
                if (bias) b += v;
            }
            if (masked)
            {
                var c = full;
                var v = Vector256.Load(d + c);
                t0 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s0 + c) & mask, t0);
                t1 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s0 + c + colStep) & mask, t1);
                t2 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s0 + c + 2 * colStep) & mask, t2);
                t3 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s1 + c) & mask, t3);
                t4 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s1 + c + colStep) & mask, t4);
                t5 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s1 + c + 2 * colStep) & mask, t5);
                t6 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s2 + c) & mask, t6);
                t7 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s2 + c + colStep) & mask, t7);
                t8 = Vector256.FusedMultiplyAdd(v, Vector256.Load(s2 + c + 2 * colStep) & mask, t8);
                if (bias) b += v;
            }
        }
        (acc[0], acc[4], acc[8], acc[12], acc[16]) = (t0, t1, t2, t3, t4);
        (acc[20], acc[24], acc[28], acc[32], acc[36]) = (t5, t6, t7, t8, b);
    }
}
