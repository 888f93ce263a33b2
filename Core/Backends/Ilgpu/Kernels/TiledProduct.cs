using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// The operands of a batch of products C[b] = A[b]·B[b] (M×K times K×N) as functions of their indices, so that the
/// one tiled kernel below runs a plain GEMM and every convolution as an implicit GEMM: a convolution's operand reads
/// its tensor through the conv's index arithmetic, and the im2col matrix never exists in memory.
/// </summary>
internal interface ITiledProduct
{
    /// <summary>A[batch][row, k]; called only inside M×K.</summary>
    float A(int batch, int row, int k);

    /// <summary>B[batch][k, col]; called only inside K×N.</summary>
    float B(int batch, int k, int col);

    /// <summary>Writes the finished Σ_k A·B of one output element; called once per element inside M×N.</summary>
    void Store(int batch, int row, int col, float sum);
}

/// <summary>Extents of a batched product: Batch independent M×K by K×N products.</summary>
internal readonly record struct ProductShape(int Batch, int M, int N, int K)
{
    /// <summary>Square output tiles of edge <paramref name="edge"/> over the whole batch.</summary>
    public long Tiles(int edge) => (long)Batch * ((M + edge - 1) / edge) * ((N + edge - 1) / edge);
}

/// <summary>
/// The shared-memory tiled product behind <see cref="GemmKernels"/> and <see cref="ConvKernels"/>. A group of
/// edge×edge threads owns a 2·edge × 2·edge tile of C, each thread a 2×2 block of it held in registers (rows ty and
/// ty + edge, columns tx and tx + edge, so neighbouring threads load neighbouring elements). The group walks K in
/// panels of a fixed depth: the threads stage the panel's slice of A and of B in shared memory, the group meets at a
/// barrier, and each thread multiplies two A values by two B values per k: four multiply-adds for four shared loads,
/// where one output per thread would do one for two. The two panels always fill the same shared memory, so the
/// depth is <see cref="PanelCells"/> / (2·edge): the edge itself for a GPU's 16×16 groups, and 64 for the CPU
/// accelerator's 4×4 groups, where each barrier wakes every simulated thread and so must be paid for by as many
/// multiply-adds as the panels hold. Every output element is summed by one thread, k ascending, so results are the
/// same bits run after run, with no atomics. Groups loop over tiles (grid-stride), so the launch size is chosen for
/// the device rather than for the problem.
/// </summary>
internal static class TiledProduct
{
    /// <summary>The largest group edge the kernel's static shared-memory panels hold.</summary>
    public const int MaxEdge = 16;

    /// <summary>Floats in each of the two shared-memory panels: 2·edge rows (or columns) × the panel depth.</summary>
    public const int PanelCells = 2 * MaxEdge * MaxEdge;

    /// <summary>The group edge for <paramref name="accelerator"/>: as large as its groups allow, up to <see cref="MaxEdge"/>.</summary>
    public static int Edge(Accelerator accelerator) => LaunchSize.TileEdge(accelerator, MaxEdge);

    /// <summary>Enqueues the product on <paramref name="kernel"/>'s accelerator's default stream; never waits.</summary>
    public static void Launch<T>(Accelerator accelerator, Action<KernelConfig, T, ProductShape, SpecializedValue<int>> kernel, in T operands, ProductShape shape)
        where T : struct, ITiledProduct
    {
        var edge = Edge(accelerator);
        var tiles = shape.Tiles(2 * edge);
        if (tiles == 0) return;
        var groups = LaunchSize.TileGroups(accelerator, tiles, edge * edge);
        kernel(new KernelConfig(groups, edge * edge), operands, shape, SpecializedValue.New(edge));
    }

    /// <summary>Compiles the tiled kernel for operand type <typeparamref name="T"/> on <paramref name="accelerator"/>.</summary>
    public static Action<KernelConfig, T, ProductShape, SpecializedValue<int>> Load<T>(Accelerator accelerator)
        where T : struct, ITiledProduct =>
        accelerator.LoadStreamKernel<T, ProductShape, SpecializedValue<int>>(Kernel);

    // The edge is a compile-time constant after specialisation, so on a GPU the panel geometry folds. Threads outside
    // M×N still stage zeros and meet every barrier: a barrier skipped by part of a group hangs.
    private static void Kernel<T>(T ops, ProductShape shape, SpecializedValue<int> edgeValue)
        where T : struct, ITiledProduct
    {
        int edge = edgeValue, span = 2 * edge, depth = PanelCells / span, threads = edge * edge;
        var aPanel = SharedMemory.Allocate<float>(PanelCells);   // span rows × depth
        var bPanel = SharedMemory.Allocate<float>(PanelCells);   // depth × span columns
        var t = Group.IdxX;
        var tx = t % edge;
        var ty = t / edge;
        var tilesM = (shape.M + span - 1) / span;
        var tilesN = (shape.N + span - 1) / span;
        var tiles = shape.Batch * tilesM * tilesN;
        for (var tile = Grid.IdxX; tile < tiles; tile += Grid.DimX)
        {
            var batch = tile / (tilesM * tilesN);
            var inBatch = tile - batch * tilesM * tilesN;
            int rowBase = inBatch / tilesN * span, colBase = inBatch % tilesN * span;
            float s00 = 0f, s01 = 0f, s10 = 0f, s11 = 0f;
            for (var k0 = 0; k0 < shape.K; k0 += depth)
            {
                // Only the first `steps` k of each panel are staged and read, so a short K (a 3×3 conv's 9 taps) costs
                // no more than it needs; zeros pad the ragged rows and columns. Consecutive threads stage consecutive k
                // of A's rows and consecutive columns of B's.
                var steps = Math.Min(depth, shape.K - k0);
                for (var e = t; e < span * steps; e += threads)
                {
                    int r = e / steps, kk = e - r * steps;
                    aPanel[r * depth + kk] = rowBase + r < shape.M ? ops.A(batch, rowBase + r, k0 + kk) : 0f;
                    int kb = e / span, c = e - kb * span;
                    bPanel[e] = colBase + c < shape.N ? ops.B(batch, k0 + kb, colBase + c) : 0f;
                }
                Group.Barrier();
                for (var k = 0; k < steps; k++)
                {
                    float a0 = aPanel[ty * depth + k], a1 = aPanel[(ty + edge) * depth + k];
                    float b0 = bPanel[k * span + tx], b1 = bPanel[k * span + tx + edge];
                    s00 += a0 * b0;
                    s01 += a0 * b1;
                    s10 += a1 * b0;
                    s11 += a1 * b1;
                }
                Group.Barrier();
            }
            int row0 = rowBase + ty, row1 = row0 + edge, col0 = colBase + tx, col1 = col0 + edge;
            if (row0 < shape.M && col0 < shape.N) ops.Store(batch, row0, col0, s00);
            if (row0 < shape.M && col1 < shape.N) ops.Store(batch, row0, col1, s01);
            if (row1 < shape.M && col0 < shape.N) ops.Store(batch, row1, col0, s10);
            if (row1 < shape.M && col1 < shape.N) ops.Store(batch, row1, col1, s11);
        }
    }
}
