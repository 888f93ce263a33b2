namespace Functional.Backends.Cpu;

/// <summary>
/// An A operand packed whole before the GEMM (an inference plan's conv filter), so a GEMM that reads it skips its own
/// packing: M_c-row block i, K block p at <see cref="P"/> + (i·K blocks + p)·<see cref="BlockStride"/>, each block the
/// floats <see cref="GemmPacking.PackA"/> writes for it, so the products have the bits of A packed per call.
/// </summary>
internal readonly unsafe struct PackedA(float* p, long blockStride)
{
    /// <summary>Block (0, 0); null when A is packed by the GEMM itself.</summary>
    public readonly float* P = p;

    /// <summary>Floats from one block's start to the next's.</summary>
    public readonly long BlockStride = blockStride;

    /// <summary>Whether A is packed here.</summary>
    public bool Present => P != null;

    /// <summary>The block of K block <paramref name="kBlock"/> for rows from <paramref name="row"/> (a multiple of M_c) on.</summary>
    public float* Block(int row, int kBlock, int kBlocks) => P + ((long)(row / GemmDriver.Mc) * kBlocks + kBlock) * BlockStride;

    /// <summary>The same A without its first <paramref name="rows"/> rows (a multiple of M_c), K split in <paramref name="kBlocks"/>.</summary>
    public PackedA From(int rows, int kBlocks) => Present ? new(Block(rows, 0, kBlocks), BlockStride) : this;

    /// <summary>An m×k A that <see cref="Pack"/> packed into <paramref name="p"/>.</summary>
    public static PackedA Over(float* p, int m, int k) => new(p, Stride(m, k));

    /// <summary>Floats of an m×k A packed whole.</summary>
    public static long Length(int m, int k) => (long)Blocks(m) * GemmDriver.KBlocks(k).Count * Stride(m, k);

    /// <summary>Packs the m×k matrix <paramref name="a"/> whole into <paramref name="dst"/> (<see cref="Length"/> floats).</summary>
    public static PackedA Pack(in Strided a, int m, int k, float* dst)
    {
        var (kBlocks, kcStep) = GemmDriver.KBlocks(k);
        var stride = Stride(m, k);
        for (var i = 0; i < Blocks(m); i++)
            for (var p = 0; p < kBlocks; p++)
            {
                var (row, pc) = (i * GemmDriver.Mc, p * kcStep);
                GemmPacking.PackA(a, row, pc, Math.Min(GemmDriver.Mc, m - row), Math.Min(kcStep, k - pc), 1f, dst + ((long)i * kBlocks + p) * stride);
            }
        return new PackedA(dst, stride);
    }

    private static int Blocks(int m) => (m + GemmDriver.Mc - 1) / GemmDriver.Mc;

    // A short A keeps its blocks as tight as the GEMM's own packing; a tall one has full M_c blocks.
    private static long Stride(int m, int k) =>
        (long)Math.Min(GemmDriver.Mc, (m + MicroKernel.MR - 1) / MicroKernel.MR * MicroKernel.MR) * GemmDriver.KBlocks(k).Size;
}
