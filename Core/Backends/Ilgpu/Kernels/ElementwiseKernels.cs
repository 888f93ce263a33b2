using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// Element-wise maps as grid-stride kernels: <see cref="UnaryOp"/> forward and backward, <see cref="BinaryOp"/> with
/// the per-axis broadcast, and the strided block copy. The formulas are the Reference backend's, operation for
/// operation, so on the CPU accelerator (which runs this code as .NET) the bits are the Reference bits: ReLU is
/// PyTorch's (only x &lt; 0 becomes 0, so NaN and −0 pass) and its backward is threshold_backward's selection.
/// </summary>
internal static class ElementwiseKernels
{
    private sealed class Loaded(Accelerator a)
    {
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, float> Unary =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, float>(UnaryKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float> UnaryBackward =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float>(UnaryBackwardKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, AxisGeometry, int> Binary =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, AxisGeometry, int>(BinaryKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, CopyGeometry> Copy =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, CopyGeometry>(CopyKernel);
    }

    private static readonly ConditionalWeakTable<Accelerator, Loaded> Cache = new();

    private static Loaded For(Accelerator a) => Cache.GetValue(a, x => new Loaded(x));

    /// <summary>y = f(x).</summary>
    public static void Unary(Accelerator a, UnaryOp op, float alpha, ArrayView<float> x, ArrayView<float> y) =>
        For(a).Unary(LaunchSize.GridStride(a, y.Length), x, y, (int)op, alpha);

    /// <summary>dx = f′·dy.</summary>
    public static void UnaryBackward(Accelerator a, UnaryOp op, float alpha, ArrayView<float> x, ArrayView<float> y,
        ArrayView<float> dy, ArrayView<float> dx) =>
        For(a).UnaryBackward(LaunchSize.GridStride(a, dx.Length), x, y, dy, dx, (int)op, alpha);

    /// <summary>y = a ∘ b, b per Axis index when <paramref name="perAxis"/>.</summary>
    public static void Binary(Accelerator a, BinaryOp op, in AxisGeometry g, ArrayView<float> x, ArrayView<float> b, bool perAxis, ArrayView<float> y) =>
        For(a).Binary(LaunchSize.GridStride(a, g.Length), x, b, y, (int)op, g, perAxis ? 1 : 0);

    /// <summary>The strided block copy.</summary>
    public static void Copy(Accelerator a, in CopyGeometry g, ArrayView<float> src, ArrayView<float> dst) =>
        For(a).Copy(LaunchSize.GridStride(a, (long)g.Count * g.BlockLength), src, dst, g);

    private static int Stride => Grid.DimX * Group.DimX;

    private static void UnaryKernel(ArrayView<float> x, ArrayView<float> y, int op, float alpha)
    {
        for (var i = Grid.GlobalIndex.X; i < y.Length; i += Stride) y[i] = Apply(op, alpha, x[i]);
    }

    /// <summary>f(x) for one element, as <see cref="Reference.ElementwiseKernels.Apply{T}"/>.</summary>
    internal static float Apply(int op, float alpha, float x) => (UnaryOp)op switch
    {
        UnaryOp.ReLU => x < 0f ? 0f : x,
        UnaryOp.LeakyReLU => x > 0f ? x : alpha * x,
        UnaryOp.Sigmoid => x >= 0f ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x)),
        UnaryOp.Tanh => MathF.Tanh(x),
        UnaryOp.Scale => alpha * x,
        UnaryOp.AddScalar => x + alpha,
        UnaryOp.Square => x * x,
        UnaryOp.Sqrt => MathF.Sqrt(x),
        UnaryOp.Exp => MathF.Exp(x),
        UnaryOp.Log => MathF.Log(x),
        UnaryOp.Negate => -x,
        _ => x,
    };

    private static void UnaryBackwardKernel(ArrayView<float> x, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, int op, float alpha)
    {
        // ReLU's is a selection, as Reference's and PyTorch's threshold_backward: 0 where x ≤ 0, else dy. A NaN x is
        // not ≤ 0, so its dy passes; a non-finite dy where x ≤ 0 gives 0, never 0·∞.
        if ((UnaryOp)op == UnaryOp.ReLU)
            for (var i = Grid.GlobalIndex.X; i < dx.Length; i += Stride) dx[i] = x[i] <= 0f ? 0f : dy[i];
        else
            for (var i = Grid.GlobalIndex.X; i < dx.Length; i += Stride) dx[i] = Derivative(op, alpha, x, y, i) * dy[i];
    }

    private static float Derivative(int op, float alpha, ArrayView<float> x, ArrayView<float> y, long i) => (UnaryOp)op switch
    {
        UnaryOp.ReLU => x[i] <= 0f ? 0f : 1f,
        UnaryOp.LeakyReLU => x[i] > 0f ? 1f : alpha,
        UnaryOp.Sigmoid => y[i] * (1f - y[i]),
        UnaryOp.Tanh => 1f - y[i] * y[i],
        UnaryOp.Scale => alpha,
        UnaryOp.Square => 2f * x[i],
        UnaryOp.Sqrt => 1f / (2f * y[i]),
        UnaryOp.Exp => y[i],
        UnaryOp.Log => 1f / x[i],
        UnaryOp.Negate => -1f,
        _ => 1f,
    };

    private static void BinaryKernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, int op, AxisGeometry g, int perAxis)
    {
        for (var i = Grid.GlobalIndex.X; i < y.Length; i += Stride)
        {
            var bv = perAxis != 0 ? b[i / g.Inner % g.Axis] : b[i];
            y[i] = (BinaryOp)op switch
            {
                BinaryOp.Add => a[i] + bv,
                BinaryOp.Subtract => a[i] - bv,
                BinaryOp.Multiply => a[i] * bv,
                _ => a[i] / bv,
            };
        }
    }

    private static void CopyKernel(ArrayView<float> src, ArrayView<float> dst, CopyGeometry g)
    {
        var n = g.Count * g.BlockLength;
        for (var i = Grid.GlobalIndex.X; i < n; i += Stride)
        {
            int block = i / g.BlockLength, j = i - block * g.BlockLength;
            dst[g.DstOffset + block * g.DstStride + j] = src[g.SrcOffset + block * g.SrcStride + j];
        }
    }
}
