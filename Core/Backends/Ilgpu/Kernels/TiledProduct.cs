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
    /// <summary>Output tiles of edge <paramref name="edge"/> over the whole batch.</summary>
    public long Tiles(int edge) => (long)Batch * ((M + edge - 1) / edge) * ((N + edge - 1) / edge);
}

/// <summary>
/// The shared-memory tiled product behind <see cref="GemmKernels"/> and <see cref="ConvKernels"/>. A group of
/// edge×edge threads owns an edge×edge tile of C and walks K in edge-deep steps: each thread stages one element of
/// A's and one of B's panel in shared memory, the group meets at a barrier, and each thread then sums its row of
/// the A panel against its column of the B panel. Every output element is summed by one thread, k ascending, so
/// results are the same bits run after run, with no atomics. Groups loop over tiles (grid-stride), so the launch
/// size is chosen for the device rather than for the problem.
/// </summary>
internal static class TiledProduct
{
    /// <summary>The largest tile edge the kernel's static shared-memory panels hold.</summary>
    public const int MaxEdge = 16;

    /// <summary>The tile edge for <paramref name="accelerator"/>: as large as its groups allow, up to <see cref="MaxEdge"/>.</summary>
    public static int Edge(Accelerator accelerator) => LaunchSize.TileEdge(accelerator, MaxEdge);

    /// <summary>Enqueues the product on <paramref name="kernel"/>'s accelerator's default stream; never waits.</summary>
    public static void Launch<T>(Accelerator accelerator, Action<KernelConfig, T, ProductShape, SpecializedValue<int>> kernel, in T operands, ProductShape shape)
        where T : struct, ITiledProduct
    {
        var edge = Edge(accelerator);
        var tiles = shape.Tiles(edge);
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
        int edge = edgeValue;
        var aPanel = SharedMemory.Allocate<float>(MaxEdge * MaxEdge);
        var bPanel = SharedMemory.Allocate<float>(MaxEdge * MaxEdge);
        var tx = Group.IdxX % edge;
        var ty = Group.IdxX / edge;
        var tilesM = (shape.M + edge - 1) / edge;
        var tilesN = (shape.N + edge - 1) / edge;
        var tiles = shape.Batch * tilesM * tilesN;
        for (var tile = Grid.IdxX; tile < tiles; tile += Grid.DimX)
        {
            var batch = tile / (tilesM * tilesN);
            var inBatch = tile - batch * tilesM * tilesN;
            var row = inBatch / tilesN * edge + ty;
            var col = inBatch % tilesN * edge + tx;
            var sum = 0f;
            for (var k0 = 0; k0 < shape.K; k0 += edge)
            {
                // Thread (ty, tx) stages A[row, k0 + tx] and B[k0 + ty, col]; zeros pad the ragged edges.
                aPanel[ty * edge + tx] = row < shape.M && k0 + tx < shape.K ? ops.A(batch, row, k0 + tx) : 0f;
                bPanel[ty * edge + tx] = k0 + ty < shape.K && col < shape.N ? ops.B(batch, k0 + ty, col) : 0f;
                Group.Barrier();
                // Past K both panels hold zeros, and 0·0 added to a sum that starts at +0 changes no bits, so the
                // loop runs the full constant edge and unrolls.
                for (var k = 0; k < edge; k++) sum += aPanel[ty * edge + k] * bPanel[k * edge + tx];
                Group.Barrier();
            }
            if (row < shape.M && col < shape.N) ops.Store(batch, row, col, sum);
        }
    }
}
