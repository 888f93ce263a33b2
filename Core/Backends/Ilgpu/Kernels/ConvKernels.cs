using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// Grouped, strided, dilated 1-, 2- and 3-d convolutions (as 3-d) and both gradients, each an implicit GEMM on the
/// shared-memory tiles of <see cref="TiledProduct"/> (operands in <c>ConvOperands.cs</c>). Every output element is
/// written by exactly one thread, which sums its terms in a fixed order: no atomics, the same bits every run, and
/// outputs may arrive uninitialised.
/// </summary>
internal static class ConvKernels
{
    private sealed record Set(
        Action<KernelConfig, ConvForwardOperands, ProductShape, SpecializedValue<int>> Forward,
        Action<KernelConfig, ConvBackwardDataOperands, ProductShape, SpecializedValue<int>> BackwardData,
        Action<KernelConfig, ConvBackwardFilterOperands, ProductShape, SpecializedValue<int>> BackwardFilter);

    private static readonly KernelCache<Set> Cache = new(a => new Set(
        TiledProduct.Load<ConvForwardOperands>(a), TiledProduct.Load<ConvBackwardDataOperands>(a), TiledProduct.Load<ConvBackwardFilterOperands>(a)));

    /// <summary>y = x ⋆ w (+ bias per output channel; an empty <paramref name="bias"/> means none).</summary>
    public static void Forward(Accelerator accelerator, in ConvGeometry g, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y) =>
        TiledProduct.Launch(accelerator, Cache.For(accelerator).Forward, new ConvForwardOperands(g, x, w, bias, y), ConvForwardOperands.Shape(g));

    /// <summary>dx = the full correlation of the stride-dilated dy with the flipped kernel, gathered per input element.</summary>
    public static void BackwardData(Accelerator accelerator, in ConvGeometry g, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx) =>
        TiledProduct.Launch(accelerator, Cache.For(accelerator).BackwardData, new ConvBackwardDataOperands(g, dy, w, dx), ConvBackwardDataOperands.Shape(g));

    /// <summary>dw = x ⋆ dy summed over batch and positions per weight; dbias = Σ dy per channel unless <paramref name="dbias"/> is empty.</summary>
    public static void BackwardFilter(Accelerator accelerator, in ConvGeometry g, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, ArrayView<float> dbias) =>
        TiledProduct.Launch(accelerator, Cache.For(accelerator).BackwardFilter, new ConvBackwardFilterOperands(g, x, dy, dw, dbias),
            ConvBackwardFilterOperands.Shape(g, dbias.Length > 0));
}
