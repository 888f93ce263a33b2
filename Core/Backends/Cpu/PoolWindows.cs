using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
                    var w = 0;
                    // Without indices to store, eight (or four) windows at a time: the same taps, order and rule per
                    // lane, and the row's last vector overlaps the one before, recomputing the same maxima, so a
                    // narrow row (LeNet's 5 windows) needs no branchy scalar tail.
                    if (argmax == null && Avx2.IsSupported && ow >= 4)
                    {
                        var step = ow >= 8 ? 8 : 4;
                        for (; ; w += step)
                        {
                            w = Math.Min(w, ow - step);
                            if (step == 8) Max2x2Vector(r0 + 2 * w, r1 + 2 * w, y + o + w);
                            else Max2x2Vector4(r0 + 2 * w, r1 + 2 * w, y + o + w);
                            if (w == ow - step) break;
                        }
                        o += ow;
                        continue;
                    }
                    for (; w < ow; w++, o++)
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

    // Windows w … w+7 of a row pair: the even and odd columns of 16 floats per row are split with in-lane shuffles,
    // the four taps are merged in the scalar order (a later tap wins if greater or NaN), and one 64-bit permute puts
    // the eight maxima in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Max2x2Vector(float* r0, float* r1, float* y)
    {
        var (a0, a1, b0, b1) = (Vector256.Load(r0), Vector256.Load(r0 + 8), Vector256.Load(r1), Vector256.Load(r1 + 8));
        var best = Avx.Shuffle(a0, a1, 0b10_00_10_00);
        best = Later(best, Avx.Shuffle(a0, a1, 0b11_01_11_01));
        best = Later(best, Avx.Shuffle(b0, b1, 0b10_00_10_00));
        best = Later(best, Avx.Shuffle(b0, b1, 0b11_01_11_01));
        Avx2.Permute4x64(best.AsDouble(), 0b11_01_10_00).AsSingle().Store(y);
    }

    // Windows w … w+3 with 128-bit vectors, whose shuffles need no permute.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Max2x2Vector4(float* r0, float* r1, float* y)
    {
        var (a0, a1, b0, b1) = (Vector128.Load(r0), Vector128.Load(r0 + 4), Vector128.Load(r1), Vector128.Load(r1 + 4));
        var best = Sse.Shuffle(a0, a1, 0b10_00_10_00);
        best = Later(best, Sse.Shuffle(a0, a1, 0b11_01_11_01));
        best = Later(best, Sse.Shuffle(b0, b1, 0b10_00_10_00));
        best = Later(best, Sse.Shuffle(b0, b1, 0b11_01_11_01));
        best.Store(y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Later(Vector128<float> best, Vector128<float> v) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(v, best) | ~Vector128.Equals(v, v), v, best);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Later(Vector256<float> best, Vector256<float> v) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v), v, best);

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
