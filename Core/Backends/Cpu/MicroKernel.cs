using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// The register tile of the GEMM: C[6×16] += A[6×kc]·B[kc×16] from packed panels, with the 6×16 tile held in twelve
/// 256-bit accumulators (AVX2 has sixteen registers: twelve accumulators, two B vectors and one broadcast A).
/// Every element is the fused multiply-add chain over k in order, then one addition to C, on every path, so an
/// edge tile computed through a temporary gives the same bits as a full one.
/// </summary>
internal static unsafe class MicroKernel
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = 6;

    /// <summary>Columns of the register tile.</summary>
    public const int NR = 16;

    /// <summary>True where the vector path is hardware-accelerated; otherwise a scalar loop with the same FMA chain runs.</summary>
    public static bool Vectorised => Vector256.IsHardwareAccelerated;

    /// <summary>C (row stride <paramref name="ldc"/>) += A·B over <paramref name="kc"/> packed steps.</summary>
    public static void Run(int kc, float* a, float* b, float* c, int ldc) => Run(kc, a, b, c, ldc, null, Epilogue.None);

    /// <summary>A·B over <paramref name="kc"/> packed steps stored into C as <paramref name="e"/> says, row i starting
    /// from <paramref name="start"/>[i] (zero when null) under <see cref="Epilogue.Start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, float* start, Epilogue e)
    {
        if (!Vector256.IsHardwareAccelerated) { Scalar(kc, a, b, c, ldc, start, e); return; }
        // The tile of C is touched once, after the k loop: request its lines now so they arrive during the loop.
        if (Sse.IsSupported)
            for (var i = 0; i < MR; i++)
            {
                Sse.Prefetch0(c + (long)i * ldc);
                Sse.Prefetch0(c + (long)i * ldc + NR - 1);
            }
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var k = 0; k < kc; k++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(a4, b0, c40); c41 = Vector256.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(a5, b0, c50); c51 = Vector256.FusedMultiplyAdd(a5, b1, c51);
            a += MR;
            b += NR;
        }
        if (e == Epilogue.None)
        {
            Add(c, c00, c01); Add(c + ldc, c10, c11); Add(c + 2 * ldc, c20, c21);
            Add(c + 3 * ldc, c30, c31); Add(c + 4 * ldc, c40, c41); Add(c + 5 * ldc, c50, c51);
            return;
        }
        EpilogueStore.Row(c, c00, c01, EpilogueStore.At(start, 0), e);
        EpilogueStore.Row(c + ldc, c10, c11, EpilogueStore.At(start, 1), e);
        EpilogueStore.Row(c + 2 * ldc, c20, c21, EpilogueStore.At(start, 2), e);
        EpilogueStore.Row(c + 3 * ldc, c30, c31, EpilogueStore.At(start, 3), e);
        EpilogueStore.Row(c + 4 * ldc, c40, c41, EpilogueStore.At(start, 4), e);
        EpilogueStore.Row(c + 5 * ldc, c50, c51, EpilogueStore.At(start, 5), e);
    }

    /// <summary>
    /// The first <paramref name="rows"/> (2 or 4) rows of the tile straight into C, for the bottom edge of an M that
    /// is not a multiple of six (64, 128, 256, 1024, 2048 all leave 2 or 4): no wasted rows and no temporary. The
    /// A sliver keeps its six-row stride. Same FMA chain per element, then one addition to C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRows(int rows, int kc, float* a, float* b, float* c, int ldc, float* start, Epilogue e)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        if (rows == 2)
            for (var k = 0; k < kc; k++, a += MR, b += NR)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var a0 = Vector256.Create(a[0]);
                c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector256.Create(a[1]);
                c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
            }
        else
            for (var k = 0; k < kc; k++, a += MR, b += NR)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var a0 = Vector256.Create(a[0]);
                c00 = Vector256.FusedMultiplyAdd(a0, b0, c00); c01 = Vector256.FusedMultiplyAdd(a0, b1, c01);
                var a1 = Vector256.Create(a[1]);
                c10 = Vector256.FusedMultiplyAdd(a1, b0, c10); c11 = Vector256.FusedMultiplyAdd(a1, b1, c11);
                var a2 = Vector256.Create(a[2]);
                c20 = Vector256.FusedMultiplyAdd(a2, b0, c20); c21 = Vector256.FusedMultiplyAdd(a2, b1, c21);
                var a3 = Vector256.Create(a[3]);
                c30 = Vector256.FusedMultiplyAdd(a3, b0, c30); c31 = Vector256.FusedMultiplyAdd(a3, b1, c31);
            }
        EpilogueStore.Row(c, c00, c01, EpilogueStore.At(start, 0), e);
        EpilogueStore.Row(c + ldc, c10, c11, EpilogueStore.At(start, 1), e);
        if (rows == 2) return;
        EpilogueStore.Row(c + 2 * ldc, c20, c21, EpilogueStore.At(start, 2), e);
        EpilogueStore.Row(c + 3 * ldc, c30, c31, EpilogueStore.At(start, 3), e);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(float* row, Vector256<float> lo, Vector256<float> hi)
    {
        (Vector256.Load(row) + lo).Store(row);
        (Vector256.Load(row + 8) + hi).Store(row + 8);
    }

    private static void Scalar(int kc, float* a, float* b, float* c, int ldc, float* start, Epilogue e)
    {
        var acc = stackalloc float[MR * NR];
        new Span<float>(acc, MR * NR).Clear();
        for (var k = 0; k < kc; k++, a += MR, b += NR)
            for (var i = 0; i < MR; i++)
                for (var j = 0; j < NR; j++)
                    acc[i * NR + j] = MathF.FusedMultiplyAdd(a[i], b[j], acc[i * NR + j]);
        for (var i = 0; i < MR; i++)
            for (var j = 0; j < NR; j++)
                EpilogueStore.Element(c + i * ldc + j, acc[i * NR + j], EpilogueStore.At(start, i), e);
    }
}
