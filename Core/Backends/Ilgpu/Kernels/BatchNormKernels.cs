using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// Batch norm per channel a of x[o, a, i]: statistics and the backward's sums with one thread per channel (the
/// Reference order), the normalisation and the input gradient as grid-stride loops over elements that recompute
/// the per-channel constants with the Reference formulas, so no intermediate buffer is needed and the bits match.
/// With <c>relu</c> the forward clamps its output and the backward first masks dy where y ≤ 0, in the same pass.
/// </summary>
internal static class BatchNormKernels
{
    private sealed class Loaded(Accelerator a)
    {
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, AxisGeometry> Statistics =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, AxisGeometry>(StatisticsKernel);
        public readonly Action<KernelConfig, Inputs, ArrayView<float>, AxisGeometry, float, int> Forward =
            a.LoadStreamKernel<Inputs, ArrayView<float>, AxisGeometry, float, int>(ForwardKernel);
        public readonly Action<KernelConfig, Inputs, Gradients, AxisGeometry, float> Sums =
            a.LoadStreamKernel<Inputs, Gradients, AxisGeometry, float>(SumsKernel);
        public readonly Action<KernelConfig, Inputs, Gradients, AxisGeometry, float, int> InputGradient =
            a.LoadStreamKernel<Inputs, Gradients, AxisGeometry, float, int>(InputGradientKernel);
    }

    /// <summary>The views a batch-norm kernel reads (beta is unused by the backward).</summary>
    internal struct Inputs
    {
        public ArrayView<float> X, Mean, Variance, Gamma, Beta;
    }

    /// <summary>The backward's views: dy, the output y when a ReLU is fused (else empty), and the gradients.</summary>
    internal struct Gradients
    {
        public ArrayView<float> Dy, Y, Dx, DGamma, DBeta;
    }

    private static readonly ConditionalWeakTable<Accelerator, Loaded> Cache = new();

    private static Loaded For(Accelerator a) => Cache.GetValue(a, x => new Loaded(x));

    /// <summary>mean and biased variance per channel, in two passes.</summary>
    public static void Statistics(Accelerator a, in AxisGeometry g, ArrayView<float> x, ArrayView<float> mean, ArrayView<float> variance) =>
        For(a).Statistics(LaunchSize.GridStride(a, g.Axis), x, mean, variance, g);

    /// <summary>y = (x − mean)·γ/√(var + eps) + β, clamped at 0 when <paramref name="relu"/>.</summary>
    public static void Forward(Accelerator a, in AxisGeometry g, float eps, Inputs inputs, ArrayView<float> y, bool relu) =>
        For(a).Forward(LaunchSize.GridStride(a, g.Length), inputs, y, g, eps, relu ? 1 : 0);

    /// <summary>dβ, dγ per channel, then dx; the fused ReLU's mask comes from <see cref="Gradients.Y"/> when it is not empty.</summary>
    public static void Backward(Accelerator a, in AxisGeometry g, float eps, bool training, Inputs inputs, Gradients gradients)
    {
        var k = For(a);
        k.Sums(LaunchSize.GridStride(a, g.Axis), inputs, gradients, g, eps);
        k.InputGradient(LaunchSize.GridStride(a, g.Length), inputs, gradients, g, eps, training ? 1 : 0);
    }

    private static int Stride => Grid.DimX * Group.DimX;

    private static void StatisticsKernel(ArrayView<float> x, ArrayView<float> mean, ArrayView<float> variance, AxisGeometry g)
    {
        var m = (float)((long)g.Outer * g.Inner);
        for (var a = Grid.GlobalIndex.X; a < g.Axis; a += Stride)
        {
            var sum = 0f;
            for (var o = 0; o < g.Outer; o++)
                for (var i = 0; i < g.Inner; i++) sum += x[(o * g.Axis + a) * g.Inner + i];
            var mu = sum / m;
            var squares = 0f;
            for (var o = 0; o < g.Outer; o++)
                for (var i = 0; i < g.Inner; i++)
                {
                    var d = x[(o * g.Axis + a) * g.Inner + i] - mu;
                    squares += d * d;
                }
            mean[a] = mu;
            variance[a] = squares / m;
        }
    }

    private static void ForwardKernel(Inputs v, ArrayView<float> y, AxisGeometry g, float eps, int relu)
    {
        for (var k = Grid.GlobalIndex.X; k < g.Cells(); k += Stride)
        {
            var a = k / g.Inner % g.Axis;
            var s = v.Gamma[a] / MathF.Sqrt(v.Variance[a] + eps);
            var z = (v.X[k] - v.Mean[a]) * s + v.Beta[a];
            y[k] = relu != 0 ? ElementwiseKernels.Apply((int)UnaryOp.ReLU, 0f, z) : z;
        }
    }

    // dy after the fused ReLU's mask: the ReLU backward's selection (y ≤ 0 ? 0 : dy), bit for bit as that entry gives it.
    private static float Dy(Gradients d, long k) => d.Y.Length == 0 ? d.Dy[k] : d.Y[k] <= 0f ? 0f : d.Dy[k];

    private static void SumsKernel(Inputs v, Gradients d, AxisGeometry g, float eps)
    {
        for (var a = Grid.GlobalIndex.X; a < g.Axis; a += Stride)
        {
            float sum = 0f, dot = 0f;
            for (var o = 0; o < g.Outer; o++)
                for (var i = 0; i < g.Inner; i++)
                {
                    var k = (o * g.Axis + a) * g.Inner + i;
                    var dy = Dy(d, k);
                    sum += dy;
                    dot += dy * (v.X[k] - v.Mean[a]);
                }
            var invStd = 1f / MathF.Sqrt(v.Variance[a] + eps);
            d.DBeta[a] = sum;
            d.DGamma[a] = dot * invStd;
        }
    }

    // Reads dβ = Σdy and dγ = Σdy·x̂ back from the sums kernel: dot = dγ/σ⁻¹ would round differently, so the
    // projection is rebuilt from dγ as dγ·σ⁻¹/m, which is exactly the Reference's dot·σ⁻¹·σ⁻¹/m.
    private static void InputGradientKernel(Inputs v, Gradients d, AxisGeometry g, float eps, int training)
    {
        var m = (float)((long)g.Outer * g.Inner);
        for (var k = Grid.GlobalIndex.X; k < g.Cells(); k += Stride)
        {
            var a = k / g.Inner % g.Axis;
            var invStd = 1f / MathF.Sqrt(v.Variance[a] + eps);
            var scale = invStd * v.Gamma[a];
            var projection = training != 0 ? d.DGamma[a] * invStd / m : 0f;
            var meanGradient = training != 0 ? d.DBeta[a] / m : 0f;
            d.Dx[k] = (Dy(d, k) - (v.X[k] - v.Mean[a]) * projection - meanGradient) * scale;
        }
    }
}
