using System.Runtime.CompilerServices;

namespace Functional.Backends.Cpu;

/// <summary>
/// Pooling with its windows tabulated per dim once per call (a window is the product of three per-dim ranges), and
/// then the same taps, order, tie rule and divisor as the Reference kernels, so results match them bit for bit.
/// </summary>
internal static unsafe class PoolWindows
{
    /// <summary>Taps First + j·Step for j in [Lo, Hi) lie inside the input; Inside and WithPad count taps for the divisor.</summary>
    public readonly record struct Axis(int First, int Step, int Lo, int Hi, int Inside, int WithPad);

    /// <summary>The window of every output index along dim <paramref name="dim"/> (0 = D, 1 = H, 2 = W).</summary>
    public static Axis[] Table(in PoolGeometry g, int dim)
    {
        var table = new Axis[g.Output[dim]];
        int input = g.Input[dim], output = g.Output[dim];
        for (var o = 0; o < output; o++)
        {
            int first, count, step, inside = 0, withPad = 0;
            if (g.Kind == PoolKind.AdaptiveAverage)
            {
                // PyTorch's rule: start = ⌊o·In/Out⌋, end = ⌈(o+1)·In/Out⌉.
                first = (int)((long)o * input / output);
                count = (int)(((long)(o + 1) * input + output - 1) / output) - first;
                (step, inside, withPad) = (1, count, count);
            }
            else
            {
                (first, count, step) = (o * g.Stride[dim] - g.PadBefore[dim], g.Kernel[dim], g.Dilation[dim]);
                for (var j = 0; j < count; j++)
                {
                    var i = first + j * step;
                    if (i >= 0 && i < input) inside++;
                    if (i < input + g.PadAfter[dim]) withPad++;
                }
            }
            var lo = first >= 0 ? 0 : Math.Min(count, (-first + step - 1) / step);
            var hi = first >= input ? 0 : Math.Min(count, (input - 1 - first) / step + 1);
            table[o] = new Axis(first, step, lo, hi, inside, withPad);
        }
        return table;
    }

    /// <summary>Forward over planes p0..p0+count−1: max with first-index argmax (a NaN wins; no index is stored when
    /// <paramref name="argmax"/> is null, as inference asks), or the average.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in PoolGeometry g, Axis[] td, Axis[] th, Axis[] tw, float* x, float* y, int* argmax, int p0, int count)
    {
        var (inP, outP, H, W) = (g.Input.Product, g.Output.Product, g.Input.H, g.Input.W);
        var max = g.Kind == PoolKind.Max;
        var includePad = g.Kind == PoolKind.Average && g.CountIncludePad;
        for (var plane = p0; plane < p0 + count; plane++)
        {
            var xp = x + (long)plane * inP;
            var o = (long)plane * outP;
            foreach (var d in td)
                foreach (var h in th)
                    foreach (var w in tw)
                    {
                        var best = float.NegativeInfinity;
                        var index = -1;
                        var sum = 0f;
                        for (var a = d.Lo; a < d.Hi; a++)
                            for (var b = h.Lo; b < h.Hi; b++)
                            {
                                var row = ((d.First + a * d.Step) * H + h.First + b * h.Step) * W + w.First;
                                for (var c = w.Lo; c < w.Hi; c++)
                                {
                                    var i = row + c * w.Step;
                                    var v = xp[i];
                                    if (!max) sum += v;
                                    else if (index < 0 || v > best || float.IsNaN(v)) (best, index) = (v, i);
                                }
                            }
                        if (max) { y[o] = best; if (argmax != null) argmax[o] = index; }
                        else
                        {
                            var divisor = includePad ? d.WithPad * h.WithPad * w.WithPad : d.Inside * h.Inside * w.Inside;
                            y[o] = divisor == 0 ? 0f : sum / divisor;
                        }
                        o++;
                    }
        }
    }

    /// <summary>Whether <see cref="Max2x2"/> computes this pooling: max over 2×2 windows at stride 2, unpadded,
    /// undilated, every window inside the input (LeNet's and VGG's pooling).</summary>
    public static bool IsMax2x2(in PoolGeometry g) =>
        g.Kind == PoolKind.Max && g.Kernel == new Dims3(1, 2, 2) && g.Stride == new Dims3(1, 2, 2) && g.Dilation == Dims3.All(1)
        && g.PadBefore == new Dims3(0, 0, 0) && g.Output.D == g.Input.D && 2 * g.Output.H <= g.Input.H && 2 * g.Output.W <= g.Input.W;

    /// <summary>
    /// <see cref="Forward"/> for <see cref="IsMax2x2"/> geometries with the four taps unrolled, in the same order and
    /// with the same rule (the first tap starts the maximum, a later one replaces it if greater or NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Max2x2(in PoolGeometry g, float* x, float* y, int* argmax, int p0, int count)
    {
        var (inP, outP, H, W, oh, ow) = (g.Input.Product, g.Output.Product, g.Input.H, g.Input.W, g.Output.H, g.Output.W);
        for (var plane = p0; plane < p0 + count; plane++)
        {
            var xp = x + (long)plane * inP;
            var o = (long)plane * outP;
            for (var d = 0; d < g.Output.D; d++)
                for (var h = 0; h < oh; h++)
                {
                    var top = (d * H + 2 * h) * W;
                    float* r0 = xp + top, r1 = xp + top + W;
                    for (var w = 0; w < ow; w++, o++)
                    {
                        var c = 2 * w;
                        var (best, index) = (r0[c], top + c);
                        var v = r0[c + 1];
                        if (v > best || float.IsNaN(v)) (best, index) = (v, top + c + 1);
                        v = r1[c];
                        if (v > best || float.IsNaN(v)) (best, index) = (v, top + W + c);
                        v = r1[c + 1];
                        if (v > best || float.IsNaN(v)) (best, index) = (v, top + W + c + 1);
                        y[o] = best;
                        if (argmax != null) argmax[o] = index;
                    }
                }
        }
    }

    /// <summary>Average (and adaptive average) backward: each window spreads dy/n over its taps, windows in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AverageBackward(in PoolGeometry g, Axis[] td, Axis[] th, Axis[] tw, float* dy, float* dx, int p0, int count)
    {
        var (inP, outP, H, W) = (g.Input.Product, g.Output.Product, g.Input.H, g.Input.W);
        var includePad = g.Kind == PoolKind.Average && g.CountIncludePad;
        new Span<float>(dx + (long)p0 * inP, count * inP).Clear();
        for (var plane = p0; plane < p0 + count; plane++)
        {
            var dxp = dx + (long)plane * inP;
            var o = (long)plane * outP;
            foreach (var d in td)
                foreach (var h in th)
                    foreach (var w in tw)
                    {
                        var divisor = includePad ? d.WithPad * h.WithPad * w.WithPad : d.Inside * h.Inside * w.Inside;
                        var gradient = dy[o++];
                        if (divisor == 0) continue;
                        var share = gradient / divisor;
                        for (var a = d.Lo; a < d.Hi; a++)
                            for (var b = h.Lo; b < h.Hi; b++)
                            {
                                var row = ((d.First + a * d.Step) * H + h.First + b * h.Step) * W + w.First;
                                for (var c = w.Lo; c < w.Hi; c++) dxp[row + c * w.Step] += share;
                            }
                    }
        }
    }
}
