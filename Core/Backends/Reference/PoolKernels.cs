using System.Numerics;

namespace Functional.Backends.Reference;

/// <summary>
/// Max, average and adaptive-average pooling over N·C independent D×H×W planes, as the loops of the definitions.
/// Window j of output o along a dim covers input positions o·s − p + j·d; positions outside the input are
/// skipped (max) or counted as zeros only in the divisor (average with count_include_pad).
/// </summary>
public static class PoolKernels
{
    /// <summary>Pooling forward; <paramref name="argmax"/> (max pooling only) receives the flat in-plane index.</summary>
    public static void Forward<T>(in PoolGeometry g, ReadOnlySpan<T> x, Span<T> y, Span<int> argmax)
        where T : IFloatingPointIeee754<T>
    {
        int inPlane = g.Input.Product, outPlane = g.Output.Product;
        for (var plane = 0; plane < g.Planes; plane++)
        {
            var xp = x.Slice(plane * inPlane, inPlane);
            for (var o = 0; o < outPlane; o++)
            {
                var w = Window(g, o);
                var yo = plane * outPlane + o;
                if (g.Kind == PoolKind.Max)
                {
                    var (value, index) = Max(g, w, xp);
                    y[yo] = value;
                    argmax[yo] = index;
                }
                else
                {
                    var sum = T.Zero;
                    for (var d = w.D.Lo; d < w.D.Hi; d++)
                        for (var h = w.H.Lo; h < w.H.Hi; h++)
                            for (var c = w.W.Lo; c < w.W.Hi; c++)
                                sum += xp[w.Index(g, d, h, c)];
                    y[yo] = w.Divisor == 0 ? T.Zero : sum / T.CreateChecked(w.Divisor);
                }
            }
        }
    }

    /// <summary>
    /// Pooling backward. Max: ∂y/∂x is the indicator of the argmax, so dy goes to that one element. Average:
    /// ∂y/∂x = 1/n for each element of the window, so dy/n goes to each.
    /// </summary>
    public static void Backward<T>(in PoolGeometry g, ReadOnlySpan<T> dy, ReadOnlySpan<int> argmax, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        int inPlane = g.Input.Product, outPlane = g.Output.Product;
        dx.Clear();
        for (var plane = 0; plane < g.Planes; plane++)
        {
            var dxp = dx.Slice(plane * inPlane, inPlane);
            for (var o = 0; o < outPlane; o++)
            {
                var yo = plane * outPlane + o;
                if (g.Kind == PoolKind.Max)
                {
                    if (argmax[yo] >= 0) dxp[argmax[yo]] += dy[yo];
                    continue;
                }
                var w = Window(g, o);
                if (w.Divisor == 0) continue;
                var share = dy[yo] / T.CreateChecked(w.Divisor);
                for (var d = w.D.Lo; d < w.D.Hi; d++)
                    for (var h = w.H.Lo; h < w.H.Hi; h++)
                        for (var c = w.W.Lo; c < w.W.Hi; c++)
                            dxp[w.Index(g, d, h, c)] += share;
            }
        }
    }

    private static (T Value, int Index) Max<T>(in PoolGeometry g, in PoolWindow w, ReadOnlySpan<T> xp)
        where T : IFloatingPointIeee754<T>
    {
        var best = T.NegativeInfinity;
        var index = -1;
        // Strict > keeps the first maximum in row-major order, as PyTorch; a NaN wins and propagates.
        for (var d = w.D.Lo; d < w.D.Hi; d++)
            for (var h = w.H.Lo; h < w.H.Hi; h++)
                for (var c = w.W.Lo; c < w.W.Hi; c++)
                {
                    var i = w.Index(g, d, h, c);
                    if (index < 0 || xp[i] > best || T.IsNaN(xp[i]))
                    {
                        best = xp[i];
                        index = i;
                    }
                }
        return (best, index);
    }

    private static PoolWindow Window(in PoolGeometry g, int flatOutput)
    {
        var ow = flatOutput % g.Output.W;
        var oh = flatOutput / g.Output.W % g.Output.H;
        var od = flatOutput / (g.Output.W * g.Output.H);
        var d = Axis(g, 0, od); var h = Axis(g, 1, oh); var w = Axis(g, 2, ow);
        var divisor = g.Kind == PoolKind.Average && g.CountIncludePad
            ? d.WithPad * h.WithPad * w.WithPad
            : d.Inside * h.Inside * w.Inside;
        return new PoolWindow(d, h, w, divisor);
    }

    private static WindowAxis Axis(in PoolGeometry g, int dim, int o)
    {
        int input = g.Input[dim];
        if (g.Kind == PoolKind.AdaptiveAverage)
        {
            // PyTorch's rule: start = ⌊o·In/Out⌋, end = ⌈(o+1)·In/Out⌉; the window is contiguous.
            int output = g.Output[dim];
            var start = (int)((long)o * input / output);
            var end = (int)(((long)(o + 1) * input + output - 1) / output);
            return new WindowAxis(start, end - start, 1, input, end - start, end - start);
        }
        int k = g.Kernel[dim], s = g.Stride[dim], dil = g.Dilation[dim], p = g.PadBefore[dim];
        var first = o * s - p;
        int inside = 0, withPad = 0;
        for (var j = 0; j < k; j++)
        {
            var i = first + j * dil;
            if (i >= 0 && i < input) inside++;
            // PyTorch clips the counted window to the padded input [−p, i + p); in ceil mode it can run past.
            if (i < input + g.PadAfter[dim]) withPad++;
        }
        return new WindowAxis(first, k, dil, input, inside, withPad);
    }

    /// <summary>Window taps j·Step from First along one dim; taps Lo..Hi−1 fall inside the input.</summary>
    private readonly record struct WindowAxis(int First, int Count, int Step, int Input, int Inside, int WithPad)
    {
        public int Lo => First >= 0 ? 0 : Math.Min(Count, (-First + Step - 1) / Step);
        public int Hi => First >= Input ? 0 : Math.Min(Count, (Input - 1 - First) / Step + 1);
    }

    private readonly record struct PoolWindow(WindowAxis D, WindowAxis H, WindowAxis W, int Divisor)
    {
        /// <summary>The flat in-plane index of tap (d, h, w).</summary>
        public int Index(in PoolGeometry g, int d, int h, int w) =>
            ((D.First + d * D.Step) * g.Input.H + H.First + h * H.Step) * g.Input.W + W.First + w * W.Step;
    }
}
