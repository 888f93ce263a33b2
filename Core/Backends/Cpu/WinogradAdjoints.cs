using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The transposes of <see cref="WinogradTransforms"/>' output and filter transforms, for the filter gradient: with
/// Y = Aᵀ[(G g Gᵀ) ⊙ V]A, the gradient of g is Gᵀ[Σ over tiles (A dY Aᵀ) ⊙ V]G. Eight channels per vector, as there.
/// </summary>
internal static unsafe class WinogradAdjoints
{
    /// <summary>
    /// Z = A dY Aᵀ for eight channels: dY[i][j] (4×4) at <paramref name="src"/> + i·<paramref name="rowStride"/> + 8j,
    /// Z[ξ] stored at <paramref name="dst"/> + ξ·<paramref name="pointStride"/>. <paramref name="t"/> holds 24 vectors of scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gradient(float* src, long rowStride, float* dst, long pointStride, Vector256<float>* t)
    {
        for (var j = 0; j < 4; j++)
        {
            var p = src + 8 * j;
            A(Vector256.Load(p), Vector256.Load(p + rowStride), Vector256.Load(p + 2 * rowStride), Vector256.Load(p + 3 * rowStride),
                out t[j], out t[4 + j], out t[8 + j], out t[12 + j], out t[16 + j], out t[20 + j]);
        }
        for (var a = 0; a < 6; a++)
        {
            var r = t + 4 * a;
            A(r[0], r[1], r[2], r[3], out var z0, out var z1, out var z2, out var z3, out var z4, out var z5);
            WinogradTransforms.StoreRow(dst + 6 * a * pointStride, pointStride, z0, z1, z2, z3, z4, z5);
        }
    }

    /// <summary>
    /// dW = Gᵀ S G for eight channels: S[ξ] at <paramref name="src"/> + ξ·<paramref name="pointStride"/>; tap k of
    /// lane l goes to <paramref name="dst"/> + l·9 + k for the first <paramref name="lanes"/> lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Filter(float* src, long pointStride, float* dst, int lanes)
    {
        var t = stackalloc Vector256<float>[18];
        for (var b = 0; b < 6; b++)
        {
            var p = src + b * pointStride;
            var step = 6 * pointStride;
            Gt(Vector256.Load(p), Vector256.Load(p + step), Vector256.Load(p + 2 * step), Vector256.Load(p + 3 * step),
                Vector256.Load(p + 4 * step), Vector256.Load(p + 5 * step), out t[b], out t[6 + b], out t[12 + b]);
        }
        var taps = stackalloc float[72];
        for (var k = 0; k < 3; k++)
        {
            var r = t + 6 * k;
            Gt(r[0], r[1], r[2], r[3], r[4], r[5], out var w0, out var w1, out var w2);
            w0.Store(taps + 8 * (3 * k));
            w1.Store(taps + 8 * (3 * k + 1));
            w2.Store(taps + 8 * (3 * k + 2));
        }
        for (var l = 0; l < lanes; l++)
            for (var k = 0; k < 9; k++) dst[9 * l + k] = taps[8 * k + l];
    }

    // One column of A y: the output transform's rows read as columns.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void A(Vector256<float> y0, Vector256<float> y1, Vector256<float> y2, Vector256<float> y3,
        out Vector256<float> z0, out Vector256<float> z1, out Vector256<float> z2, out Vector256<float> z3, out Vector256<float> z4, out Vector256<float> z5)
    {
        var (even, odd) = (y0 + y2, y1 + y3);
        var (evenWide, oddWide) = (Vector256.FusedMultiplyAdd(Vector256.Create(4f), y2, y0), Vector256.FusedMultiplyAdd(Vector256.Create(8f), y3, y1 + y1));
        z0 = y0;
        z1 = even + odd;
        z2 = even - odd;
        z3 = evenWide + oddWide;
        z4 = evenWide - oddWide;
        z5 = y3;
    }

    // One column of Gᵀ s.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gt(Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3, Vector256<float> s4, Vector256<float> s5,
        out Vector256<float> r0, out Vector256<float> r1, out Vector256<float> r2)
    {
        var (sixth, twelfth, twentyFourth) = (Vector256.Create(1f / 6), Vector256.Create(1f / 12), Vector256.Create(1f / 24));
        var (plus12, minus12, plus34, minus34) = (s1 + s2, s2 - s1, s3 + s4, s3 - s4);
        r0 = Vector256.FusedMultiplyAdd(plus34, twentyFourth, Vector256.FusedMultiplyAdd(-plus12, sixth, s0 * Vector256.Create(0.25f)));
        r1 = Vector256.FusedMultiplyAdd(minus34, twelfth, minus12 * sixth);
        r2 = Vector256.FusedMultiplyAdd(plus34 - plus12, sixth, s5);
    }
}
