using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

namespace Functional.Backends.Ilgpu;

/// <summary>
/// Reductions, softmax and log-softmax with one thread per output (or per row), each summing in the Reference
/// backend's order: deterministic without atomics, and on the CPU accelerator the Reference bits.
/// </summary>
internal static class ReduceKernels
{
    private sealed class Loaded(Accelerator a)
    {
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, AxisGeometry, int> Reduce =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, AxisGeometry, int>(ReduceKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, AxisGeometry, int> Softmax =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, AxisGeometry, int>(SoftmaxKernel);
        public readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, AxisGeometry, int> SoftmaxBackward =
            a.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, AxisGeometry, int>(SoftmaxBackwardKernel);
    }

    private static readonly ConditionalWeakTable<Accelerator, Loaded> Cache = new();

    private static Loaded For(Accelerator a) => Cache.GetValue(a, x => new Loaded(x));

    /// <summary>Per-axis (<paramref name="keepAxis"/>) or along-axis reduction.</summary>
    public static void Reduce(Accelerator a, ReduceOp op, in AxisGeometry g, ArrayView<float> x, bool keepAxis, ArrayView<float> y) =>
        For(a).Reduce(LaunchSize.GridStride(a, y.Length), x, y, (int)op, g, keepAxis ? 1 : 0);

    /// <summary>Softmax or log-softmax along Axis.</summary>
    public static void Softmax(Accelerator a, in AxisGeometry g, bool log, ArrayView<float> x, ArrayView<float> y) =>
        For(a).Softmax(LaunchSize.GridStride(a, (long)g.Outer * g.Inner), x, y, g, log ? 1 : 0);

    /// <summary>Their backward from the output.</summary>
    public static void SoftmaxBackward(Accelerator a, in AxisGeometry g, bool log, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx) =>
        For(a).SoftmaxBackward(LaunchSize.GridStride(a, (long)g.Outer * g.Inner), y, dy, dx, g, log ? 1 : 0);

    private static int Stride => Grid.DimX * Group.DimX;

    private static void ReduceKernel(ArrayView<float> x, ArrayView<float> y, int op, AxisGeometry g, int keepAxis)
    {
        for (var t = Grid.GlobalIndex.X; t < y.Length; t += Stride)
        {
            var acc = op == (int)ReduceOp.Max ? float.NegativeInfinity : 0f;
            if (keepAxis != 0)
            {
                for (var o = 0; o < g.Outer; o++)
                    for (var i = 0; i < g.Inner; i++)
                        acc = Step(op, acc, x[(o * g.Axis + t) * g.Inner + i]);
                y[t] = op == (int)ReduceOp.Mean ? acc / (g.Outer * g.Inner) : acc;
            }
            else
            {
                int o = t / g.Inner, i = t - o * g.Inner;
                for (var a = 0; a < g.Axis; a++) acc = Step(op, acc, x[(o * g.Axis + a) * g.Inner + i]);
                y[t] = op == (int)ReduceOp.Mean ? acc / g.Axis : acc;
            }
        }
    }

    // A NaN wins the maximum, as in PyTorch and the Reference backend.
    private static float Step(int op, float acc, float v) => (ReduceOp)op switch
    {
        ReduceOp.SumOfSquares => acc + v * v,
        ReduceOp.Max => v > acc || float.IsNaN(v) ? v : acc,
        _ => acc + v,
    };

    private static void SoftmaxKernel(ArrayView<float> x, ArrayView<float> y, AxisGeometry g, int log)
    {
        for (var t = Grid.GlobalIndex.X; t < g.Outer * g.Inner; t += Stride)
        {
            int o = t / g.Inner, i = t - o * g.Inner, base0 = o * g.Axis * g.Inner + i;
            var max = float.NegativeInfinity;
            for (var a = 0; a < g.Axis; a++) max = Max(max, x[base0 + a * g.Inner]);
            var sum = 0f;
            for (var a = 0; a < g.Axis; a++) sum += MathF.Exp(x[base0 + a * g.Inner] - max);
            var logSum = MathF.Log(sum);
            for (var a = 0; a < g.Axis; a++)
            {
                var shifted = x[base0 + a * g.Inner] - max;
                y[base0 + a * g.Inner] = log != 0 ? shifted - logSum : MathF.Exp(shifted) / sum;
            }
        }
    }

    // MathF.Max's rule spelled out (NaN wins, +0 above −0, told apart by the sign of 1/0), since a GPU's max
    // instruction drops NaNs; plain arithmetic, so every ILGPU backend compiles it.
    private static float Max(float a, float b) =>
        float.IsNaN(a) || float.IsNaN(b) ? a + b : a > b ? a : b > a ? b : a == 0f && 1f / a < 0f ? b : a;

    private static void SoftmaxBackwardKernel(ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, AxisGeometry g, int log)
    {
        for (var t = Grid.GlobalIndex.X; t < g.Outer * g.Inner; t += Stride)
        {
            int o = t / g.Inner, i = t - o * g.Inner, base0 = o * g.Axis * g.Inner + i;
            var dot = 0f;
            for (var a = 0; a < g.Axis; a++)
            {
                var k = base0 + a * g.Inner;
                dot += log != 0 ? dy[k] : dy[k] * y[k];
            }
            for (var a = 0; a < g.Axis; a++)
            {
                var k = base0 + a * g.Inner;
                dx[k] = log != 0 ? dy[k] - MathF.Exp(y[k]) * dot : y[k] * (dy[k] - dot);
            }
        }
    }
}
