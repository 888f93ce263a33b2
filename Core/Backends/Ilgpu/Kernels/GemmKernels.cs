using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// C = α·op(A)·op(B) + β·C over a batch of row-major matrices, as the Reference <c>GemmKernel</c>: the shared-memory
/// tiled product of <see cref="TiledProduct"/>, reading A and B through their transposes, strides and offsets.
/// </summary>
internal static class GemmKernels
{
    private sealed record Set(Action<KernelConfig, Operands, ProductShape, SpecializedValue<int>> Tiled);

    private static readonly KernelCache<Set> Cache = new(a => new Set(TiledProduct.Load<Operands>(a)));

    /// <summary>Enqueues the batch of products described by <paramref name="g"/> on the default stream.</summary>
    public static void Gemm(Accelerator accelerator, in GemmGeometry g, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c) =>
        TiledProduct.Launch(accelerator, Cache.For(accelerator).Tiled, new Operands(g, a, b, c), new ProductShape(g.Batch, g.M, g.N, g.K));

    /// <summary>
    /// op(A), op(B) and C of one batch entry at its offset; β = 0 never reads C, so C may start as anything. The
    /// geometry is copied field by field because kernel parameters must be blittable and bool is not.
    /// </summary>
    internal readonly struct Operands(GemmGeometry g, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c) : ITiledProduct
    {
        private readonly int m = g.M, n = g.N, k = g.K, transA = g.TransA ? 1 : 0, transB = g.TransB ? 1 : 0;
        private readonly int strideA = g.StrideA, strideB = g.StrideB, strideC = g.StrideC, offsetA = g.OffsetA, offsetB = g.OffsetB, offsetC = g.OffsetC;
        private readonly float alpha = g.Alpha, beta = g.Beta;
        private readonly ArrayView<float> a = a, b = b, c = c;

        public float A(int batch, int row, int kk) => a[offsetA + batch * strideA + (transA != 0 ? kk * m + row : row * k + kk)];

        public float B(int batch, int kk, int col) => b[offsetB + batch * strideB + (transB != 0 ? col * k + kk : kk * n + col)];

        public void Store(int batch, int row, int col, float sum)
        {
            var at = offsetC + batch * strideC + row * n + col;
            c[at] = beta == 0f ? alpha * sum : alpha * sum + beta * c[at];
        }
    }
}
