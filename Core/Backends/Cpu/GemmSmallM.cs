using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// GEMMs with fewer rows than the register tile (a dense layer at batch 1–5) and row-major B, without packing: the
/// packed path would copy all of B per call to feed a tile whose rows are mostly padding, which costs more than the
/// sums. Each element is the same chain as in <see cref="GemmDriver"/>: per K block (the same blocks), fused
/// multiply-adds over k in order from zero, then one addition to C, so the bits match the packed path's.
/// </summary>
internal static unsafe class GemmSmallM
{
    /// <summary>Whether this path computes the GEMM: m below the tile, B's rows contiguous, α = 1 (packing scales A by
    /// α, a rounding this path would have to repeat), and 256-bit vectors.</summary>
    public static bool Applies(in Strided b, int m, float alpha) =>
        m < MicroKernel.MR && b.Cs == 1 && alpha == 1f && Vector256.IsHardwareAccelerated;

    /// <summary>C = A·B + β·C for an m×k A and a k×n row-major B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in Strided a, in Strided b, float* c, int ldc, int m, int n, int k, float beta)
    {
        if (m <= 0 || n <= 0) return;
        for (var i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) foreach (ref var v in row) v *= beta;
        }
        if (k <= 0) return;
        var (kBlocks, kc) = GemmDriver.KBlocks(k);
        for (var i = 0; i < m; i++)
        {
            var ai = a.P + (long)i * a.Rs;
            var ci = c + (long)i * ldc;
            for (var pc = 0; pc < k; pc += kc)
            {
                var (k0, k1) = (pc, Math.Min(k, pc + kc));
                var j = 0;
                // Four slivers at once: eight independent chains hide the FMA latency that two would wait on.
                for (; j + 64 <= n; j += 64)
                {
                    Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                    Vector256<float> s4 = default, s5 = default, s6 = default, s7 = default;
                    for (var p = k0; p < k1; p++)
                    {
                        var x = Vector256.Create(ai[(long)p * a.Cs]);
                        var bp = b.P + (long)p * b.Rs + j;
                        s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), s0);
                        s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), s1);
                        s2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 16), s2);
                        s3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 24), s3);
                        s4 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 32), s4);
                        s5 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 40), s5);
                        s6 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 48), s6);
                        s7 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 56), s7);
                    }
                    var cj = ci + j;
                    (Vector256.Load(cj) + s0).Store(cj);
                    (Vector256.Load(cj + 8) + s1).Store(cj + 8);
                    (Vector256.Load(cj + 16) + s2).Store(cj + 16);
                    (Vector256.Load(cj + 24) + s3).Store(cj + 24);
                    (Vector256.Load(cj + 32) + s4).Store(cj + 32);
                    (Vector256.Load(cj + 40) + s5).Store(cj + 40);
                    (Vector256.Load(cj + 48) + s6).Store(cj + 48);
                    (Vector256.Load(cj + 56) + s7).Store(cj + 56);
                }
                if (j < n && Avx.IsSupported)
                {
                    Tail(ai, a.Cs, b, ci, j, n, k0, k1);
                    continue;
                }
                for (; j + 16 <= n; j += 16)
                {
                    Vector256<float> s0 = default, s1 = default;
                    for (var p = k0; p < k1; p++)
                    {
                        var x = Vector256.Create(ai[(long)p * a.Cs]);
                        var bp = b.P + (long)p * b.Rs + j;
                        s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), s0);
                        s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), s1);
                    }
                    (Vector256.Load(ci + j) + s0).Store(ci + j);
                    (Vector256.Load(ci + j + 8) + s1).Store(ci + j + 8);
                }
                for (; j < n; j++)
                {
                    var s = 0f;
                    for (var p = k0; p < k1; p++) s = MathF.FusedMultiplyAdd(ai[(long)p * a.Cs], b.P[(long)p * b.Rs + j], s);
                    ci[j] += s;
                }
            }
        }
    }

    // Columns j … n−1 (fewer than 64) in one pass over the K block: eight chains through lane masks, the lanes past n
    // masked off (neither read nor written), so a row of 120 (LeNet's dense layer) needs no 2-chain or scalar loops
    // that wait on each FMA's latency. Each lane's chain is the one above.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tail(float* ai, int cs, in Strided b, float* ci, int j, int n, int k0, int k1)
    {
        var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        Vector256<float> Mask(int v) => Vector256.LessThan(lane, Vector256.Create(n - j - 8 * v)).AsSingle();
        var (m0, m1, m2, m3, m4, m5, m6, m7) = (Mask(0), Mask(1), Mask(2), Mask(3), Mask(4), Mask(5), Mask(6), Mask(7));
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector256<float> s4 = default, s5 = default, s6 = default, s7 = default;
        for (var p = k0; p < k1; p++)
        {
            var x = Vector256.Create(ai[(long)p * cs]);
            var bp = b.P + (long)p * b.Rs + j;
            s0 = Vector256.FusedMultiplyAdd(x, Avx.MaskLoad(bp, m0), s0);
            s1 = Vector256.FusedMultiplyAdd(x, Avx.MaskLoad(bp + 8, m1), s1);
            s2 = Vector256.FusedMultiplyAdd(x, Avx.MaskLoad(bp + 16, m2), s2);
            s3 = Vector256.FusedMultiplyAdd(x, Avx.MaskLoad(bp + 24, m3), s3);
            s4 = Vector256.FusedMultiplyAdd(x, Avx.MaskLoad(bp + 32, m4), s4);
            s5 = Vector256.FusedMultiplyAdd(x, Avx.MaskLoad(bp + 40, m5), s5);
            s6 = Vector256.FusedMultiplyAdd(x, Avx.MaskLoad(bp + 48, m6), s6);
            s7 = Vector256.FusedMultiplyAdd(x, Avx.MaskLoad(bp + 56, m7), s7);
        }
        var c = ci + j;
        Avx.MaskStore(c, m0, Avx.MaskLoad(c, m0) + s0);
        Avx.MaskStore(c + 8, m1, Avx.MaskLoad(c + 8, m1) + s1);
        Avx.MaskStore(c + 16, m2, Avx.MaskLoad(c + 16, m2) + s2);
        Avx.MaskStore(c + 24, m3, Avx.MaskLoad(c + 24, m3) + s3);
        Avx.MaskStore(c + 32, m4, Avx.MaskLoad(c + 32, m4) + s4);
        Avx.MaskStore(c + 40, m5, Avx.MaskLoad(c + 40, m5) + s5);
        Avx.MaskStore(c + 48, m6, Avx.MaskLoad(c + 48, m6) + s6);
        Avx.MaskStore(c + 56, m7, Avx.MaskLoad(c + 56, m7) + s7);
    }
}
