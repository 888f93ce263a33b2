using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// The optimizer updates as grid-stride kernels (the Reference formulas, element for element), and the training
/// step's checks: one thread per tensor sums its squares in double in index order and flags non-finite values, and
/// one thread turns those sums into the clipping factor. Deterministic, with no atomics.
/// </summary>
internal static class OptimizerKernels
{
    private sealed class Loaded(Accelerator a)
    {
        public readonly Action<KernelConfig, SgdViews, SgdScalars, int> Sgd = a.LoadStreamKernel<SgdViews, SgdScalars, int>(SgdKernel);
        public readonly Action<KernelConfig, AdamViews, AdamScalars> Adam = a.LoadStreamKernel<AdamViews, AdamScalars>(AdamKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>> Squares =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>>(SquaresKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> Hits =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(HitsKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, double> Clip =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, double>(ClipKernel);
    }

    /// <summary>An SGD update's views; Buffer is empty on the first step, NextBuffer without momentum.</summary>
    internal struct SgdViews
    {
        public ArrayView<float> P, G, Buffer, Next, NextBuffer;
    }

    /// <summary>An Adam update's views.</summary>
    internal struct AdamViews
    {
        public ArrayView<float> P, G, M, V, Next, NextM, NextV;
    }

    // The seam's step records hold bools, which are not blittable kernel parameters: the same scalars with int flags.
    internal readonly record struct SgdScalars(float LearningRate, float Momentum, float Undamped, float WeightDecay, int Nesterov);

    internal readonly record struct AdamScalars(float StepSize, float Correction2Sqrt, float Shrink, float Beta1, float Beta2,
        float OneMinusBeta1, float OneMinusBeta2, float Eps, float WeightDecay, int Decoupled);

    private static readonly ConditionalWeakTable<Accelerator, Loaded> Cache = new();

    private static Loaded For(Accelerator a) => Cache.GetValue(a, x => new Loaded(x));

    public static void Sgd(Accelerator a, in SgdStep s, SgdViews v, bool hasBuffer) =>
        For(a).Sgd(LaunchSize.GridStride(a, v.P.Length), v,
            new SgdScalars(s.LearningRate, s.Momentum, s.Undamped, s.WeightDecay, s.Nesterov ? 1 : 0), hasBuffer ? 1 : 0);

    public static void Adam(Accelerator a, in AdamStep s, AdamViews v) => For(a).Adam(LaunchSize.GridStride(a, v.P.Length), v,
        new AdamScalars(s.StepSize, s.Correction2Sqrt, s.Shrink, s.Beta1, s.Beta2, s.OneMinusBeta1, s.OneMinusBeta2, s.Eps, s.WeightDecay, s.Decoupled ? 1 : 0));

    /// <summary>result[0] = Σ x² in double, result[1] = non-finite flag, for one tensor.</summary>
    public static void SquaresAndFlag(Accelerator a, ArrayView<float> x, ArrayView<float> result) => For(a).Squares(new KernelConfig(1, 1), x, result);

    /// <summary>scale[0] from the (Σx², flag) pairs.</summary>
    public static void ClipScale(Accelerator a, ArrayView<float> squares, ArrayView<float> scale, double maxNorm) =>
        For(a).Clip(new KernelConfig(1, 1), squares, scale, maxNorm);

    /// <summary>hits[r] = 1 where row r's first maximum is at labels[r]; one thread per row.</summary>
    public static void ArgMaxHits(Accelerator a, int classes, ArrayView<float> scores, ArrayView<float> labels, ArrayView<float> hits) =>
        For(a).Hits(LaunchSize.GridStride(a, hits.Length), scores, labels, hits, classes);

    private static int Stride => Grid.DimX * Group.DimX;

    private static void HitsKernel(ArrayView<float> scores, ArrayView<float> labels, ArrayView<float> hits, int classes)
    {
        for (var r = Grid.GlobalIndex.X; r < hits.Length; r += Stride)
        {
            var best = 0;
            for (var c = 1; c < classes; c++)
                if (scores[r * classes + c] > scores[r * classes + best]) best = c;
            hits[r] = best == (int)labels[r] ? 1f : 0f;
        }
    }

    private static void SgdKernel(SgdViews v, SgdScalars s, int hasBuffer)
    {
        var momentum = v.NextBuffer.Length != 0;
        for (var i = Grid.GlobalIndex.X; i < v.P.Length; i += Stride)
        {
            var d = s.WeightDecay != 0f ? v.G[i] + s.WeightDecay * v.P[i] : v.G[i];
            if (momentum)
            {
                var b = hasBuffer != 0 ? s.Momentum * v.Buffer[i] + s.Undamped * d : d;
                v.NextBuffer[i] = b;
                d = s.Nesterov != 0 ? d + s.Momentum * b : b;
            }
            v.Next[i] = v.P[i] - s.LearningRate * d;
        }
    }

    private static void AdamKernel(AdamViews v, AdamScalars s)
    {
        for (var i = Grid.GlobalIndex.X; i < v.P.Length; i += Stride)
        {
            var x = s.Decoupled != 0 ? v.P[i] * s.Shrink : v.P[i];
            var d = s.Decoupled == 0 && s.WeightDecay != 0f ? v.G[i] + s.WeightDecay * v.P[i] : v.G[i];
            var m2 = v.M[i] * s.Beta1 + d * s.OneMinusBeta1;
            var v2 = v.V[i] * s.Beta2 + s.OneMinusBeta2 * d * d;
            v.NextM[i] = m2;
            v.NextV[i] = v2;
            var denom = MathF.Sqrt(v2) / s.Correction2Sqrt + s.Eps;
            v.Next[i] = x - s.StepSize * (m2 / denom);
        }
    }

    private static void SquaresKernel(ArrayView<float> x, ArrayView<float> result)
    {
        var sum = 0.0;
        var bad = 0f;
        for (var i = 0L; i < x.Length; i++)
        {
            var v = x[i];
            sum += (double)v * v;
            if (!(Math.Abs(v) <= float.MaxValue)) bad = 1f;
        }
        result[0] = (float)sum;
        result[1] = bad;
    }

    private static void ClipKernel(ArrayView<float> squares, ArrayView<float> scale, double maxNorm)
    {
        var sum = 0.0;
        for (var i = 0L; i < squares.Length; i += 2) sum += squares[i];
        var s = maxNorm / (Math.Sqrt(sum) + 1e-6);
        scale[0] = s < 1 ? (float)s : 1f;
    }
}
