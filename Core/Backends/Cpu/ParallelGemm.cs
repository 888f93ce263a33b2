namespace Functional.Backends.Cpu;

/// <summary>
/// A GEMM split over the pool: the larger of M and N is cut into one range per thread at multiples of the
/// register tile, and each range runs as an independent GEMM with its own packing. Splitting C never changes how
/// any element of C is summed, so the result does not depend on the thread count.
/// </summary>
internal static unsafe class ParallelGemm
{
    // Below about a quarter of a million multiply-adds, waking a second thread costs more than it saves.
    private const long SerialLimit = 1L << 18;

    /// <summary>C = α·A·B + β·C for an m×k A and a k×n B, over the pool's threads when the problem is large enough.</summary>
    public static void Run(WorkerPool pool, Strided a, Strided b, float* c, int ldc, int m, int n, int k, float alpha, float beta)
    {
        if ((pool.Threads == 1 || (long)m * n * k < SerialLimit) && GemmSmallM.Applies(b, m, alpha))
            GemmSmallM.Run(a, b, c, ldc, m, n, k, beta);
        else Run(pool, a, new StridedPanel(b), c, ldc, m, n, k, alpha, beta);
    }

    /// <summary>C = α·A·B + β·C with B packed by <paramref name="b"/>, split over the pool like the strided overload.</summary>
    public static void Run<TB>(WorkerPool pool, Strided a, TB b, float* c, int ldc, int m, int n, int k, float alpha, float beta)
        where TB : struct, IPanelSource, IColumnSplit<TB> => Run(pool, a, b, c, ldc, m, n, k, alpha, beta, null, Epilogue.None);

    /// <summary>As the overload without an epilogue, storing through <see cref="GemmDriver"/>'s epilogue.</summary>
    public static void Run<TB>(WorkerPool pool, Strided a, TB b, float* c, int ldc, int m, int n, int k, float alpha, float beta,
        float* start, Epilogue e, PackedA packed = default)
        where TB : struct, IPanelSource, IColumnSplit<TB>
    {
        if (pool.Threads == 1 || (long)m * n * k < SerialLimit)
        {
            GemmDriver.Run(a, b, c, ldc, m, n, k, alpha, beta, start, e, packed);
            return;
        }
        var s0 = (nint)start;
        var splitN = n >= m;
        // A packed beforehand is cut at its M_c blocks.
        var (extent, tile) = splitN ? (n, MicroKernel.NR) : (m, packed.Present ? GemmDriver.Mc : MicroKernel.MR);
        var kBlocks = GemmDriver.KBlocks(k).Count;
        var chunk = (extent + pool.Threads - 1) / pool.Threads;
        chunk = (chunk + tile - 1) / tile * tile;
        var items = (extent + chunk - 1) / chunk;
        pool.For(items, i =>
        {
            var first = i * chunk;
            var size = Math.Min(chunk, extent - first);
            if (splitN)
                GemmDriver.Run(a, b.Columns(first), c + first, ldc, m, size, k, alpha, beta, (float*)s0, e, packed);
            else
                GemmDriver.Run(new Strided(a.P + (long)first * a.Rs, a.Rs, a.Cs), b, c + (long)first * ldc, ldc, size, n, k, alpha, beta,
                    EpilogueStore.At((float*)s0, first), e, packed.From(first, kBlocks));
        });
    }
}
