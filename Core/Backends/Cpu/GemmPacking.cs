using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>A matrix as a pointer and two strides: element (i, j) is at P[i·Rs + j·Cs]. Transposes only swap strides.</summary>
internal readonly unsafe struct Strided(float* p, int rs, int cs)
{
    public readonly float* P = p;
    public readonly int Rs = rs;
    public readonly int Cs = cs;
}

/// <summary>
/// Copies blocks of A and B into the micro-kernel's order: A as MR-row slivers (for each k, MR values), B as
/// NR-column slivers (for each k, NR values), zero-filled past the matrix edge so edge tiles need no special case.
/// Each loop reads its source along the contiguous direction.
/// </summary>
internal static unsafe class GemmPacking
{
    private const int MR = MicroKernel.MR, NR = MicroKernel.NR;
    private const int PrefetchRows = 4;
    // Rows of A ahead of the sliver being packed whose next columns are prefetched: two slivers.
    private const int AheadA = 2 * MR;

    /// <summary>Packs rows ic..ic+mc, columns pc..pc+kc of A, scaled by α.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(in Strided a, int ic, int pc, int mc, int kc, float alpha, float* dst)
    {
        for (var ir = 0; ir < mc; ir += MR, dst += MR * kc)
        {
            var rows = Math.Min(MR, mc - ir);
            var src = a.P + (long)(ic + ir) * a.Rs + (long)pc * a.Cs;
            if (a.Cs == 1 && rows == MR && Transpose8.Supported)
            {
                RowSliverA(src, a.Rs, kc, alpha, dst);
                continue;
            }
            if (a.Cs == 1)
            {
                for (var r = 0; r < rows; r++)
                {
                    var row = src + (long)r * a.Rs;
                    for (var k = 0; k < kc; k++) dst[k * MR + r] = row[k] * alpha;
                }
            }
            else
            {
                for (var k = 0; k < kc; k++)
                {
                    var col = src + (long)k * a.Cs;
                    for (var r = 0; r < rows; r++) dst[k * MR + r] = col[(long)r * a.Rs] * alpha;
                }
            }
            for (var r = rows; r < MR; r++)
                for (var k = 0; k < kc; k++) dst[k * MR + r] = 0f;
        }
    }

    /// <summary>Packs rows pc..pc+kc, columns jc..jc+nc of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(in Strided b, int pc, int jc, int kc, int nc, float* dst)
    {
        if (b.Cs == 1 && Vector256.IsHardwareAccelerated)
        {
            RowMajorB(b, pc, jc, kc, nc, dst);
            return;
        }
        for (var jr = 0; jr < nc; jr += NR, dst += NR * kc)
        {
            var cols = Math.Min(NR, nc - jr);
            var src = b.P + (long)pc * b.Rs + (long)(jc + jr) * b.Cs;
            if (b.Cs == 1)
            {
                if (cols == NR && Vector256.IsHardwareAccelerated)
                {
                    for (var k = 0; k < kc; k++)
                    {
                        var row = src + (long)k * b.Rs;
                        Vector256.Load(row).Store(dst + k * NR);
                        Vector256.Load(row + 8).Store(dst + k * NR + 8);
                    }
                    continue;
                }
                for (var k = 0; k < kc; k++)
                {
                    var row = src + (long)k * b.Rs;
                    for (var j = 0; j < cols; j++) dst[k * NR + j] = row[j];
                    for (var j = cols; j < NR; j++) dst[k * NR + j] = 0f;
                }
                continue;
            }
            if (b.Rs == 1 && cols == NR && Transpose8.Supported)
            {
                ColumnSliverB(src, b.Cs, kc, dst);
                continue;
            }
            for (var j = 0; j < cols; j++)
            {
                var col = src + (long)j * b.Cs;
                for (var k = 0; k < kc; k++) dst[k * NR + j] = col[(long)k * b.Rs];
            }
            for (var j = cols; j < NR; j++)
                for (var k = 0; k < kc; k++) dst[k * NR + j] = 0f;
        }
    }

    // Six rows of A, each contiguous along k, into k-major order: 8×8 register transposes (two rows padding) and
    // six floats kept per k. α is applied to the rows first: the same one rounding as the scalar path.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowSliverA(float* src, int rs, int kc, float alpha, float* dst)
    {
        var tmp = stackalloc float[64];
        var va = Vector256.Create(alpha);
        var k = 0;
        for (; k + 8 <= kc; k += 8)
        {
            var p = src + k;
            // A is read as short runs (K_c floats) of rows far apart, too short for the hardware prefetcher to
            // find: request the same columns of the rows AheadA further on, one cache line per row every other step.
            if ((k & 15) == 0 && Sse.IsSupported)
                for (var r = 0; r < MR; r++) Sse.Prefetch0(p + (AheadA + r) * (long)rs);
            var r0 = Vector256.Load(p);
            var r1 = Vector256.Load(p + rs);
            var r2 = Vector256.Load(p + 2L * rs);
            var r3 = Vector256.Load(p + 3L * rs);
            var r4 = Vector256.Load(p + 4L * rs);
            var r5 = Vector256.Load(p + 5L * rs);
            if (alpha != 1f) { r0 *= va; r1 *= va; r2 *= va; r3 *= va; r4 *= va; r5 *= va; }
            Transpose8.Rows(r0, r1, r2, r3, r4, r5, r5, r5, tmp, 8);
            var d = dst + k * MR;
            for (var t = 0; t < 8; t++, d += MR)
            {
                Vector128.Load(tmp + t * 8).Store(d);
                *(double*)(d + 4) = *(double*)(tmp + t * 8 + 4);
            }
        }
        for (; k < kc; k++)
            for (var r = 0; r < MR; r++) dst[k * MR + r] = src[(long)r * rs + k] * alpha;
    }

    // Sixteen columns of B, each contiguous along k, into k-major order: two 8-column halves, 8×8 register transposes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSliverB(float* src, int cs, int kc, float* dst)
    {
        for (var h = 0; h < NR; h += 8)
        {
            var col = src + (long)h * cs;
            var k = 0;
            for (; k + 8 <= kc; k += 8) Transpose8.Block(col + k, cs, dst + k * NR + h, NR);
            for (; k < kc; k++)
                for (var j = 0; j < 8; j++) dst[k * NR + h + j] = col[(long)j * cs + k];
        }
    }

    // Row by row, so B (often far larger than any cache, rows far apart) is read as long sequential runs rather
    // than as 64-byte strips of many rows; the next rows are prefetched while this one is spread over the slivers.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowMajorB(in Strided b, int pc, int jc, int kc, int nc, float* dst)
    {
        var full = nc / NR;
        var sliver = (long)NR * kc;
        for (var k = 0; k < kc; k++)
        {
            var row = b.P + (long)(pc + k) * b.Rs + jc;
            var ahead = row + (k + PrefetchRows < kc ? PrefetchRows * (long)b.Rs : 0);
            var d = dst + k * NR;
            for (var s = 0; s < full; s++, row += NR, ahead += NR, d += sliver)
            {
                if (Sse.IsSupported) Sse.Prefetch0(ahead);
                Vector256.Load(row).Store(d);
                Vector256.Load(row + 8).Store(d + 8);
            }
            var cols = nc - full * NR;
            if (cols == 0) continue;
            for (var j = 0; j < cols; j++) d[j] = row[j];
            for (var j = cols; j < NR; j++) d[j] = 0f;
        }
    }
}
