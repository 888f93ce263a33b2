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
/// edge-deep steps: each thread stages two elements of A's panel and two of B's in shared memory, the group meets at
/// a barrier, and each thread multiplies two A values by two B values per k: four multiply-adds for four shared
/// loads, where one output per thread would do one for two. Every output element is summed by one thread, k
/// ascending, so results are the same bits run after run, with no atomics. Groups loop over tiles (grid-stride),
/// so the launch size is chosen for the device rather than for the problem.
/// </summary>
internal static class TiledProduct
{
    /// <summary>The largest group edge the kernel's static shared-memory panels hold.</summary>
    public const int MaxEdge = 16;

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

    // The edge is a compile-time constant after specialisation, so on a GPU the inner loop unrolls and the panel
    // indices fold. Threads outside M×N still load and meet every barrier: a barrier skipped by part of a group hangs.
    private static void Kernel<T>(T ops, ProductShape shape, SpecializedValue<int> edgeValue)
        where T : struct, ITiledProduct
    {
        int edge = edgeValue, span = 2 * edge;
        var aPanel = SharedMemory.Allocate<float>(2 * MaxEdge * MaxEdge);   // span rows × edge deep
        var bPanel = SharedMemory.Allocate<float>(2 * MaxEdge * MaxEdge);   // edge deep × span columns
        var tx = Group.IdxX % edge;
        var ty = Group.IdxX / edge;
        var tilesM = (shape.M + span - 1) / span;
        var tilesN = (shape.N + span - 1) / span;
        var tiles = shape.Batch * tilesM * tilesN;
        for (var tile = Grid.IdxX; tile < tiles; tile += Grid.DimX)
        {
            var batch = tile / (tilesM * tilesN);
            var inBatch = tile - batch * tilesM * tilesN;
            int row0 = inBatch / tilesN * span + ty, row1 = row0 + edge;
            int col0 = inBatch % tilesN * span + tx, col1 = col0 + edge;
            float s00 = 0f, s01 = 0f, s10 = 0f, s11 = 0f;
            for (var k0 = 0; k0 < shape.K; k0 += edge)
            {
                // Zeros pad the ragged edges, so the panels are always full.
                var ka = k0 + tx;
                aPanel[ty * edge + tx] = row0 < shape.M && ka < shape.K ? ops.A(batch, row0, ka) : 0f;
                aPanel[(ty + edge) * edge + tx] = row1 < shape.M && ka < shape.K ? ops.A(batch, row1, ka) : 0f;
                var kb = k0 + ty;
                bPanel[ty * span + tx] = kb < shape.K && col0 < shape.N ? ops.B(batch, kb, col0) : 0f;
                bPanel[ty * span + tx + edge] = kb < shape.K && col1 < shape.N ? ops.B(batch, kb, col1) : 0f;
                Group.Barrier();
                // Past K both panels hold zeros, and 0·0 added to a sum that starts at +0 changes no bits, so the
                // loop runs the full constant edge and unrolls.
                for (var k = 0; k < edge; k++)
                {
                    float a0 = aPanel[ty * edge + k], a1 = aPanel[(ty + edge) * edge + k];
                    float b0 = bPanel[k * span + tx], b1 = bPanel[k * span + tx + edge];
                    s00 += a0 * b0;
                    s01 += a0 * b1;
                    s10 += a1 * b0;
                    s11 += a1 * b1;
                }
                Group.Barrier();
            }
            if (row0 < shape.M && col0 < shape.N) ops.Store(batch, row0, col0, s00);
            if (row0 < shape.M && col1 < shape.N) ops.Store(batch, row0, col1, s01);
            if (row1 < shape.M && col0 < shape.N) ops.Store(batch, row1, col0, s10);
            if (row1 < shape.M && col1 < shape.N) ops.Store(batch, row1, col1, s11);
        }
    }
}
