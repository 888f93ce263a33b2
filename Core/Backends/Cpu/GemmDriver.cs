using System.Runtime.CompilerServices;

namespace Functional.Backends.Cpu;

/// <summary>
/// One single-threaded GEMM, C = α·A·B + β·C, in the GotoBLAS/BLIS loop order: a K_c×N_c panel of B is packed once
/// and reused by every M_c×K_c block of A; each block is swept by the 6×16 micro-kernel. The K blocking depends on
/// K alone, so each element of C sums its products in the same order whatever part of C a thread was given.
/// </summary>
internal static unsafe class GemmDriver
{
    // K_c·NR floats of B (16 KiB) stay in L1 while a sliver of A streams; M_c·K_c of A (144 KiB) stays in L2.
    private const int KcMax = 256, Nc = 4080;

    /// <summary>Rows of A packed per block (M_c).</summary>
    public const int Mc = 144;
    // Floats of a packed B panel that share L2 (512 KiB) with a short A: half of it.
    private const int L2Panel = 1 << 16;
    private const int MR = MicroKernel.MR, NR = MicroKernel.NR;

    /// <summary>Multiplies the m×k matrix A by the k×n matrix B into C (row stride <paramref name="ldc"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in Strided a, in Strided b, float* c, int ldc, int m, int n, int k, float alpha, float beta)
    {
        if (GemmSmallM.Applies(b, m, alpha)) GemmSmallM.Run(a, b, c, ldc, m, n, k, beta);
        else Run(a, new StridedPanel(b), c, ldc, m, n, k, alpha, beta);
    }

    /// <summary>The K blocks: as many as K_c needs, of equal size (576 → 3 × 192) so no block is a short remainder.</summary>
    public static (int Count, int Size) KBlocks(int k)
    {
        var count = (k + KcMax - 1) / KcMax;
        return (count, (k + count - 1) / count);
    }

    /// <summary>Multiplies the m×k matrix A by the k×n matrix that <paramref name="b"/> packs into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TB>(in Strided a, in TB b, float* c, int ldc, int m, int n, int k, float alpha, float beta)
        where TB : struct, IPanelSource => Run(a, b, c, ldc, m, n, k, alpha, beta, null, Epilogue.None);

    /// <summary>
    /// As the overload without an epilogue, with <paramref name="e"/> applied as the tiles are stored: under
    /// <see cref="Epilogue.Start"/> C's old contents (and <paramref name="beta"/>) are ignored and row i starts from
    /// <paramref name="start"/>[i] (zero when null); under <see cref="Epilogue.ReLU"/> the final values are clamped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<TB>(in Strided a, in TB b, float* c, int ldc, int m, int n, int k, float alpha, float beta, float* start, Epilogue e,
        PackedA packed = default)
        where TB : struct, IPanelSource
    {
        if (m <= 0 || n <= 0) return;
        // β = 0 ignores C's old contents, as the start epilogue (from zero) does: the first K block then stores its
        // sums instead of adding them to a cleared C, which saves a pass over C. Same bits: 0 + s is s, the FMA
        // chains from +0 never give −0, and an edge tile goes through the same 0 + s.
        if (beta == 0f && start == null) e |= Epilogue.Start;
        if ((e & Epilogue.Start) == 0) ScaleC(c, ldc, m, n, beta);
        if (k <= 0)
        {
            if (e != Epilogue.None)
                for (var i = 0; i < m; i++)
                    for (var j = 0; j < n; j++) EpilogueStore.Element(c + (long)i * ldc + j, 0f, EpilogueStore.At(start, i), e);
            return;
        }
        var (kBlocks, kcStep) = KBlocks(k);
        // A short A (one M_c block, the usual conv shape) is packed once for all K blocks, and B then goes in panels
        // small enough to stay in L2 next to it; a tall A keeps the L3-sized panels and is packed per block.
        var shortA = m <= Mc;
        var nc0 = shortA ? Math.Max(NR, L2Panel / kcStep / NR * NR) : Nc;
        var ncMax = Math.Min(nc0, RoundUp(n, NR));
        var mcMax = Math.Min(Mc, RoundUp(m, MR));
        var aBlock = mcMax * kcStep;
        // A packed beforehand (with α = 1) is read where it lies.
        var packA = Scratch.Rent((packed.Present ? 0 : shortA ? aBlock * kBlocks : aBlock) + Scratch.AlignSlack);
        var packB = Scratch.Rent(ncMax * kcStep + Scratch.AlignSlack);
        var tile = stackalloc float[MR * NR];
        try
        {
            fixed (float* pa0 = packA, pb0 = packB)
            {
                float* pa = Scratch.Align(pa0), pb = Scratch.Align(pb0);
                if (shortA && !packed.Present)
                    for (int pc = 0, p = 0; pc < k; pc += kcStep, p++)
                        GemmPacking.PackA(a, 0, pc, m, Math.Min(kcStep, k - pc), alpha, pa + (long)p * aBlock);
                for (var jc = 0; jc < n; jc += nc0)
                {
                    var nc = Math.Min(nc0, n - jc);
                    for (int pc = 0, p = 0; pc < k; pc += kcStep, p++)
                    {
                        var kc = Math.Min(kcStep, k - pc);
                        // The start value enters with the first K block's sums, the ReLU with the last's.
                        var step = (pc == 0 ? e & Epilogue.Start : 0) | (pc + kc >= k ? e & Epilogue.ReLU : 0);
                        b.Pack(pc, jc, kc, nc, pb);
                        if (shortA)
                        {
                            Block(packed.Present ? packed.Block(0, p, kBlocks) : pa + (long)p * aBlock, pb, c + jc, ldc, m, nc, kc, tile, start, step);
                            continue;
                        }
                        for (var ic = 0; ic < m; ic += Mc)
                        {
                            var mc = Math.Min(Mc, m - ic);
                            if (!packed.Present) GemmPacking.PackA(a, ic, pc, mc, kc, alpha, pa);
                            Block(packed.Present ? packed.Block(ic, p, kBlocks) : pa, pb, c + (long)ic * ldc + jc, ldc, mc, nc, kc, tile,
                                EpilogueStore.At(start, ic), step);
                        }
                    }
                }
            }
        }
        finally
        {
            Scratch.Return(packA);
            Scratch.Return(packB);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(float* pa, float* pb, float* c, int ldc, int mc, int nc, int kc, float* tile, float* start, Epilogue e)
    {
        for (var jr = 0; jr < nc; jr += NR)
        {
            var cols = Math.Min(NR, nc - jr);
            var b = pb + (long)jr * kc;
            for (var ir = 0; ir < mc; ir += MR)
            {
                var rows = Math.Min(MR, mc - ir);
                var a = pa + (long)ir * kc;
                var ct = c + (long)ir * ldc + jr;
                var st = EpilogueStore.At(start, ir);
                if (rows == MR && cols == NR)
                {
                    MicroKernel.Run(kc, a, b, ct, ldc, st, e);
                    continue;
                }
                if (rows is 2 or 4 && cols == NR && MicroKernel.Vectorised)
                {
                    MicroKernel.RunRows(rows, kc, a, b, ct, ldc, st, e);
                    continue;
                }
                new Span<float>(tile, MR * NR).Clear();
                MicroKernel.Run(kc, a, b, tile, NR);
                for (var i = 0; i < rows; i++)
                    for (var j = 0; j < cols; j++) EpilogueStore.Element(ct + (long)i * ldc + j, tile[i * NR + j], EpilogueStore.At(st, i), e);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleC(float* c, int ldc, int m, int n, float beta)
    {
        if (beta == 1f) return;
        for (var i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else foreach (ref var v in row) v *= beta;
        }
    }

    private static int RoundUp(int v, int multiple) => (v + multiple - 1) / multiple * multiple;
}
