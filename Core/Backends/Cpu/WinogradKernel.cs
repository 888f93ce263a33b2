using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The products of one transform point: M[6 tiles × 16 output channels] = V[6 tiles × K] · U[K × 16]. The six tile
/// rows of V are read where the input transform wrote them (channels contiguous per tile), so V is never packed;
/// U is packed once per call in 16-channel panels. Twelve accumulators, as in <see cref="MicroKernel"/>; each sum
/// runs over all K channels in order, so a tile's result does not depend on which tiles share its block.
/// </summary>
internal static unsafe class WinogradKernel
{
    /// <summary>Tiles per kernel call.</summary>
    public const int Rows = 6;

    /// <summary>Output channels per packed panel of U.</summary>
    public const int Panel = 16;

    /// <summary>Stores V·U for the six rows at <paramref name="v"/> (row stride <paramref name="vs"/>) into M (row stride <paramref name="ms"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int k, float* v, long vs, float* u, float* m, long ms)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        float* v0 = v, v1 = v + vs, v2 = v + 2 * vs, v3 = v + 3 * vs, v4 = v + 4 * vs, v5 = v + 5 * vs;
        for (var i = 0; i < k; i++, u += Panel)
        {
            var b0 = Vector256.Load(u);
            var b1 = Vector256.Load(u + 8);
            var a = Vector256.Create(v0[i]);
            c00 = Vector256.FusedMultiplyAdd(a, b0, c00); c01 = Vector256.FusedMultiplyAdd(a, b1, c01);
            a = Vector256.Create(v1[i]);
            c10 = Vector256.FusedMultiplyAdd(a, b0, c10); c11 = Vector256.FusedMultiplyAdd(a, b1, c11);
            a = Vector256.Create(v2[i]);
            c20 = Vector256.FusedMultiplyAdd(a, b0, c20); c21 = Vector256.FusedMultiplyAdd(a, b1, c21);
            a = Vector256.Create(v3[i]);
            c30 = Vector256.FusedMultiplyAdd(a, b0, c30); c31 = Vector256.FusedMultiplyAdd(a, b1, c31);
            a = Vector256.Create(v4[i]);
            c40 = Vector256.FusedMultiplyAdd(a, b0, c40); c41 = Vector256.FusedMultiplyAdd(a, b1, c41);
            a = Vector256.Create(v5[i]);
            c50 = Vector256.FusedMultiplyAdd(a, b0, c50); c51 = Vector256.FusedMultiplyAdd(a, b1, c51);
        }
        c00.Store(m); c01.Store(m + 8);
        c10.Store(m + ms); c11.Store(m + ms + 8);
        c20.Store(m + 2 * ms); c21.Store(m + 2 * ms + 8);
        c30.Store(m + 3 * ms); c31.Store(m + 3 * ms + 8);
        c40.Store(m + 4 * ms); c41.Store(m + 4 * ms + 8);
        c50.Store(m + 5 * ms); c51.Store(m + 5 * ms + 8);
    }

    /// <summary>
    /// S[rows × 16] += Σ over <paramref name="k"/> tiles of z[t][0..rows) ⊗ v[t][0..15], for the filter gradient, with
    /// <paramref name="rows"/> 6, 4 or 2 (an output-channel count that is a multiple of 8 ends in 2 or 4): z rows
    /// <paramref name="zs"/> apart, v rows <paramref name="vs"/> apart, S rows <paramref name="ss"/> apart. The sum
    /// continues S's FMA chain in tile order. Rows the call does not cover keep their values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Accumulate(int rows, int k, float* z, long zs, float* v, long vs, float* s, long ss)
    {
        // Rows past the count read and write row 0 again, with the same sum, so one loop serves all three counts.
        long r1 = rows > 1 ? ss : 0, r2 = rows > 2 ? 2 * ss : 0, r3 = rows > 3 ? 3 * ss : 0, r4 = rows > 4 ? 4 * ss : 0, r5 = rows > 5 ? 5 * ss : 0;
        int z1 = rows > 1 ? 1 : 0, z2 = rows > 2 ? 2 : 0, z3 = rows > 3 ? 3 : 0, z4 = rows > 4 ? 4 : 0, z5 = rows > 5 ? 5 : 0;
        Vector256<float> c00 = Vector256.Load(s), c01 = Vector256.Load(s + 8), c10 = Vector256.Load(s + r1), c11 = Vector256.Load(s + r1 + 8);
        Vector256<float> c20 = Vector256.Load(s + r2), c21 = Vector256.Load(s + r2 + 8), c30 = Vector256.Load(s + r3), c31 = Vector256.Load(s + r3 + 8);
        Vector256<float> c40 = Vector256.Load(s + r4), c41 = Vector256.Load(s + r4 + 8), c50 = Vector256.Load(s + r5), c51 = Vector256.Load(s + r5 + 8);
        for (var t = 0; t < k; t++, z += zs, v += vs)
        {
            var b0 = Vector256.Load(v);
            var b1 = Vector256.Load(v + 8);
            var a = Vector256.Create(z[0]);
            c00 = Vector256.FusedMultiplyAdd(a, b0, c00); c01 = Vector256.FusedMultiplyAdd(a, b1, c01);
            a = Vector256.Create(z[z1]);
            c10 = Vector256.FusedMultiplyAdd(a, b0, c10); c11 = Vector256.FusedMultiplyAdd(a, b1, c11);
            a = Vector256.Create(z[z2]);
            c20 = Vector256.FusedMultiplyAdd(a, b0, c20); c21 = Vector256.FusedMultiplyAdd(a, b1, c21);
            a = Vector256.Create(z[z3]);
            c30 = Vector256.FusedMultiplyAdd(a, b0, c30); c31 = Vector256.FusedMultiplyAdd(a, b1, c31);
            a = Vector256.Create(z[z4]);
            c40 = Vector256.FusedMultiplyAdd(a, b0, c40); c41 = Vector256.FusedMultiplyAdd(a, b1, c41);
            a = Vector256.Create(z[z5]);
            c50 = Vector256.FusedMultiplyAdd(a, b0, c50); c51 = Vector256.FusedMultiplyAdd(a, b1, c51);
        }
        // Highest row first, so a repeated row 0 ends with its own sums.
        c51.Store(s + r5 + 8); c50.Store(s + r5);
        c41.Store(s + r4 + 8); c40.Store(s + r4);
        c31.Store(s + r3 + 8); c30.Store(s + r3);
        c21.Store(s + r2 + 8); c20.Store(s + r2);
        c11.Store(s + r1 + 8); c10.Store(s + r1);
        c01.Store(s + 8); c00.Store(s);
    }
}
