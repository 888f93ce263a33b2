using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// The function entries as grid-stride kernels: <see cref="PointOp"/> forward and backward, the strided gather,
/// select and compare. The formulas are <see cref="Reference.PointwiseKernels"/>'s in float, operation for
/// operation, and GELU's erf is the same double-precision <see cref="SpecialFunctions.Erf"/>.
/// </summary>
internal static class FunctionKernels
{
    private sealed class Loaded(Accelerator a)
    {
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, float, float> Forward =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, float, float>(ForwardKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float, float> Backward =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int, float, float>(BackwardKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, GatherGeometry> Gather =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, GatherGeometry>(GatherKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>> Where =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>>(WhereKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Compare =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(CompareKernel);
    }

    private static readonly KernelCache<Loaded> Cache = new(a => new Loaded(a));

    public static void Forward(Accelerator a, PointOp op, float p, float q, ArrayView<float> x, ArrayView<float> y) =>
        Cache.For(a).Forward(LaunchSize.GridStride(a, y.Length), x, y, (int)op, p, q);

    public static void Backward(Accelerator a, PointOp op, float p, float q, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx) =>
        Cache.For(a).Backward(LaunchSize.GridStride(a, dx.Length), x, dy, dx, (int)op, p, q);

    public static void Gather(Accelerator a, in GatherGeometry g, ArrayView<float> src, ArrayView<float> dst) =>
        Cache.For(a).Gather(LaunchSize.GridStride(a, dst.Length), src, dst, g);

    public static void Where(Accelerator a, ArrayView<float> c, ArrayView<float> x, ArrayView<float> z, ArrayView<float> y) =>
        Cache.For(a).Where(LaunchSize.GridStride(a, y.Length), c, x, z, y);

    public static void Compare(Accelerator a, CompareOp op, ArrayView<float> x, ArrayView<float> z, ArrayView<float> y) =>
        Cache.For(a).Compare(LaunchSize.GridStride(a, y.Length), x, z, y, (int)op);

    private static int Stride => Grid.DimX * Group.DimX;

    private static void ForwardKernel(ArrayView<float> x, ArrayView<float> y, int op, float p, float q)
    {
        for (var i = Grid.GlobalIndex.X; i < y.Length; i += Stride) y[i] = Apply(op, p, q, x[i]);
    }

    private static void BackwardKernel(ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, int op, float p, float q)
    {
        for (var i = Grid.GlobalIndex.X; i < dx.Length; i += Stride)
            dx[i] = (PointOp)op == PointOp.Clamp
                ? (x[i] >= p && x[i] <= q ? dy[i] : 0f)
                : dy[i] * Derivative(op, p, x[i]);
    }

    private static float Apply(int op, float p, float q, float x)
    {
        switch ((PointOp)op)
        {
            case PointOp.Abs: return MathF.Abs(x);
            case PointOp.Pow: return MathF.Pow(x, p);
            case PointOp.Clamp: return x < p ? p : x > q ? q : x;
            case PointOp.Gelu: return x * 0.5f * (1f + (float)SpecialFunctions.Erf(x * 0.70710678118654752440));
            case PointOp.GeluTanh: return 0.5f * x * (1f + MathF.Tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
            case PointOp.SiLU: return x * Sigmoid(x);
            case PointOp.Hardswish: return x * MathF.Min(MathF.Max(x + 3f, 0f), 6f) / 6f;
            default: return x * MathF.Tanh(x > 20f ? x : MathF.Log(1f + MathF.Exp(x)));
        }
    }

    private static float Derivative(int op, float p, float x)
    {
        switch ((PointOp)op)
        {
            case PointOp.Abs: return x > 0f ? 1f : x < 0f ? -1f : x * 0f;
            case PointOp.Pow: return p == 0f ? 0f : p * MathF.Pow(x, p - 1f);
            case PointOp.Gelu:
            {
                var cdf = 0.5f * (1f + (float)SpecialFunctions.Erf(x * 0.70710678118654752440));
                return cdf + x * (MathF.Exp(-0.5f * x * x) * 0.3989422804f);
            }
            case PointOp.GeluTanh:
            {
                var x2 = x * x;
                var t = MathF.Tanh(0.7978845608f * (x + 0.044715f * x2 * x));
                return 0.5f * (1f + t) + 0.5f * x * (1f - t * t) * 0.7978845608f * (1f + 3f * 0.044715f * x2);
            }
            case PointOp.SiLU:
            {
                var s = Sigmoid(x);
                return s * (1f + x * (1f - s));
            }
            case PointOp.Hardswish: return x < -3f ? 0f : x <= 3f ? x / 3f + 0.5f : 1f;
            case PointOp.Mish:
            {
                var s = Sigmoid(x);
                var t = MathF.Tanh(MathF.Log(1f + MathF.Exp(x)));
                return t + x * s * (1f - t * t);
            }
            default: return 1f;
        }
    }

    private static float Sigmoid(float x) => x >= 0f ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    private static void GatherKernel(ArrayView<float> src, ArrayView<float> dst, GatherGeometry g)
    {
        var (d, s) = (g.Dims, g.Strides);
        for (var i = Grid.GlobalIndex.X; i < dst.Length; i += Stride)
        {
            int rem = i, off = g.Offset;
            off += rem % d.F * s.F; rem /= d.F;
            off += rem % d.E * s.E; rem /= d.E;
            off += rem % d.D * s.D; rem /= d.D;
            off += rem % d.C * s.C; rem /= d.C;
            off += rem % d.B * s.B; rem /= d.B;
            off += rem * s.A;
            dst[i] = src[off];
        }
    }

    private static void WhereKernel(ArrayView<float> c, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y)
    {
        for (var i = Grid.GlobalIndex.X; i < y.Length; i += Stride) y[i] = c[i] != 0f ? a[i] : b[i];
    }

    private static void CompareKernel(ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, int op)
    {
        for (var i = Grid.GlobalIndex.X; i < y.Length; i += Stride)
            y[i] = (op == (int)CompareOp.Equal ? a[i] == b[i] : a[i] > b[i]) ? 1f : 0f;
    }
}
