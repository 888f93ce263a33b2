using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// The three transforms of Winograd's F(4×4, 3×3) with the points 0, ±1, ±2 and ∞: a 4×4 output tile is
/// Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A over a 6×6 input tile d, which takes 36 products per input/output channel pair where
/// the direct sum takes 144. Every transform works on eight channels at once, one per vector lane, so it is plain
/// vector arithmetic with no shuffles; the 36 points ξ = 6a + b are stored one vector each.
/// </summary>
internal static unsafe class WinogradTransforms
{
    /// <summary>Points per tile: the 6×6 transform domain.</summary>
    public const int Points = 36;

    /// <summary>
    /// v = Bᵀ d B for eight channels: d[r][j] at <paramref name="src"/> + r·<paramref name="rowStride"/> + 8j, v[ξ]
    /// stored at <paramref name="dst"/> + ξ·<paramref name="pointStride"/>. <paramref name="t"/> holds 36 vectors of
    /// scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Input(float* src, long rowStride, float* dst, long pointStride, Vector256<float>* t)
    {
        for (var j = 0; j < 6; j++)
        {
            var p = src + 8 * j;
            Bt(Vector256.Load(p), Vector256.Load(p + rowStride), Vector256.Load(p + 2 * rowStride),
                Vector256.Load(p + 3 * rowStride), Vector256.Load(p + 4 * rowStride), Vector256.Load(p + 5 * rowStride),
                out t[j], out t[6 + j], out t[12 + j], out t[18 + j], out t[24 + j], out t[30 + j]);
        }
        for (var i = 0; i < 6; i++)
        {
            var r = t + 6 * i;
            Bt(r[0], r[1], r[2], r[3], r[4], r[5], out var v0, out var v1, out var v2, out var v3, out var v4, out var v5);
            StoreRow(dst + 6 * i * pointStride, pointStride, v0, v1, v2, v3, v4, v5);
        }
    }

    /// <summary>
    /// The 4×4 tile Aᵀ m A for eight channels: m[ξ] at <paramref name="src"/> + ξ·<paramref name="pointStride"/>,
    /// output position 4i + j into <paramref name="y"/>[4i + j]. <paramref name="s"/> holds 24 vectors of scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Output(float* src, long pointStride, Vector256<float>* s, Vector256<float>* y)
    {
        for (var b = 0; b < 6; b++)
        {
            var p = src + b * pointStride;
            var step = 6 * pointStride;
            At(Vector256.Load(p), Vector256.Load(p + step), Vector256.Load(p + 2 * step), Vector256.Load(p + 3 * step),
                Vector256.Load(p + 4 * step), Vector256.Load(p + 5 * step), out s[b], out s[6 + b], out s[12 + b], out s[18 + b]);
        }
        for (var i = 0; i < 4; i++)
        {
            var r = s + 6 * i;
            At(r[0], r[1], r[2], r[3], r[4], r[5], out y[4 * i], out y[4 * i + 1], out y[4 * i + 2], out y[4 * i + 3]);
        }
    }

    /// <summary>
    /// U = G g Gᵀ for eight filters at once: tap t (row-major 3×3) of lane l at <paramref name="w"/> + l·<paramref name="laneStride"/> + t,
    /// or + 8 − t when <paramref name="flip"/> (the input gradient's rotated filter); lanes at or past
    /// <paramref name="lanes"/> are zero. U[ξ] stored at <paramref name="dst"/> + ξ·<paramref name="pointStride"/>.
    /// False when a tap is infinite or NaN (see <see cref="WinogradTiles.CopyInput"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Filter(float* w, int laneStride, int lanes, bool flip, float* dst, long pointStride)
    {
        var index = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * laneStride;
        var mask = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(lanes)).AsSingle();
        var g = stackalloc Vector256<float>[9];
        var probe = Vector256<float>.Zero;
        for (var tap = 0; tap < 9; tap++)
        {
            g[tap] = Avx2.GatherMaskVector256(Vector256<float>.Zero, w + (flip ? 8 - tap : tap), index, mask, 4);
            probe = Vector256.FusedMultiplyAdd(g[tap], Vector256<float>.Zero, probe);
        }
        var gg = stackalloc Vector256<float>[18];
        for (var c = 0; c < 3; c++)
            Gc(g[c], g[3 + c], g[6 + c], out gg[c], out gg[3 + c], out gg[6 + c], out gg[9 + c], out gg[12 + c], out gg[15 + c]);
        for (var r = 0; r < 6; r++)
        {
            Gc(gg[3 * r], gg[3 * r + 1], gg[3 * r + 2], out var u0, out var u1, out var u2, out var u3, out var u4, out var u5);
            StoreRow(dst + 6 * r * pointStride, pointStride, u0, u1, u2, u3, u4, u5);
        }
        return Vector256.EqualsAll(probe, Vector256<float>.Zero);
    }

    /// <summary>Stores six points of one transform row: point b at <paramref name="o"/> + b·<paramref name="pointStride"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRow(float* o, long pointStride, Vector256<float> v0, Vector256<float> v1, Vector256<float> v2,
        Vector256<float> v3, Vector256<float> v4, Vector256<float> v5)
    {
        v0.Store(o);
        v1.Store(o + pointStride);
        v2.Store(o + 2 * pointStride);
        v3.Store(o + 3 * pointStride);
        v4.Store(o + 4 * pointStride);
        v5.Store(o + 5 * pointStride);
    }

    // One column of Bᵀ d.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Bt(Vector256<float> d0, Vector256<float> d1, Vector256<float> d2, Vector256<float> d3, Vector256<float> d4, Vector256<float> d5,
        out Vector256<float> o0, out Vector256<float> o1, out Vector256<float> o2, out Vector256<float> o3, out Vector256<float> o4, out Vector256<float> o5)
    {
        var (four, five, two) = (Vector256.Create(4f), Vector256.Create(5f), Vector256.Create(2f));
        o0 = Vector256.FusedMultiplyAdd(four, d0, Vector256.FusedMultiplyAdd(-five, d2, d4));
        o1 = Vector256.FusedMultiplyAdd(-four, d1 + d2, d3 + d4);
        o2 = Vector256.FusedMultiplyAdd(four, d1 - d2, d4 - d3);
        var (e, f) = (d3 - d1, d4 - d2);
        o3 = Vector256.FusedMultiplyAdd(two, e, f);
        o4 = Vector256.FusedMultiplyAdd(-two, e, f);
        o5 = Vector256.FusedMultiplyAdd(four, d1, Vector256.FusedMultiplyAdd(-five, d3, d5));
    }

    // One column of Aᵀ m.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void At(Vector256<float> m0, Vector256<float> m1, Vector256<float> m2, Vector256<float> m3, Vector256<float> m4, Vector256<float> m5,
        out Vector256<float> y0, out Vector256<float> y1, out Vector256<float> y2, out Vector256<float> y3)
    {
        var (a, b, c, d) = (m1 + m2, m1 - m2, m3 + m4, m3 - m4);
        y0 = m0 + a + c;
        y1 = Vector256.FusedMultiplyAdd(Vector256.Create(2f), d, b);
        y2 = Vector256.FusedMultiplyAdd(Vector256.Create(4f), c, a);
        y3 = Vector256.FusedMultiplyAdd(Vector256.Create(8f), d, b) + m5;
    }

    // One column of G g.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gc(Vector256<float> g0, Vector256<float> g1, Vector256<float> g2,
        out Vector256<float> u0, out Vector256<float> u1, out Vector256<float> u2, out Vector256<float> u3, out Vector256<float> u4, out Vector256<float> u5)
    {
        var (sixth, twelfth, twentyFourth) = (Vector256.Create(1f / 6), Vector256.Create(1f / 12), Vector256.Create(1f / 24));
        var outer = g0 + g2;
        u0 = g0 * Vector256.Create(0.25f);
        u1 = -(outer + g1) * sixth;
        u2 = -(outer - g1) * sixth;
        var even = Vector256.FusedMultiplyAdd(g0, twentyFourth, g2 * sixth);
        u3 = Vector256.FusedMultiplyAdd(g1, twelfth, even);
        u4 = Vector256.FusedMultiplyAdd(-g1, twelfth, even);
        u5 = g2;
    }
}
