using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// Depthwise convolutions at unit stride over 1-d and 2-d planes, register-blocked: each plane is first copied
/// into a zero-bordered scratch plane, so every output vector is a straight chain of one fused multiply-add per
/// tap with no border tests, and four vectors of a row are kept in registers while the taps stream past. The
/// backward-data pass is the same correlation of the zero-bordered dy planes with the flipped taps, summed over
/// the channel multiplier in one chain. The filter gradient keeps four vectors of running sums per tap over every
/// plane of its channel and folds them once. Each output value is computed by one fixed chain whichever item or
/// thread computes it, so results do not depend on the thread count.
/// </summary>
internal static unsafe class DepthwisePlanes
{
    private const int MaxTaps = 64;

    /// <summary>Planes per work item: enough to amortise renting and zeroing the scratch plane.</summary>
    public const int PlanesPerItem = 8;

    /// <summary>Whether these kernels handle <paramref name="g"/>: unit strides, no depth, at most 64 taps per chain.</summary>
    public static bool Applies(in ConvGeometry g) =>
        Vector256.IsHardwareAccelerated && g.Input.D == 1 && g.Kernel.D == 1 && g.Output.D == 1 && g.PadBefore.D == 0
        && g.Stride.H == 1 && g.Stride.W == 1 && g.Kernel.Product * g.OutPerGroup <= MaxTaps;

    /// <summary>Work items covering <paramref name="planes"/> planes.</summary>
    public static int Items(int planes) => (planes + PlanesPerItem - 1) / PlanesPerItem;

    /// <summary>Output planes item·8 … item·8+7 (image-major, then channel): bias, then the taps in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvGeometry g, float* x, float* w, float* bias, float* y, int item)
    {
        var (kH, kW, kP, m) = (g.Kernel.H, g.Kernel.W, g.Kernel.Product, g.OutPerGroup);
        var (rows, cols) = (g.Output.H + (kH - 1) * g.Dilation.H, Round8(g.Output.W) + (kW - 1) * g.Dilation.W);
        var offs = stackalloc int[kP];
        for (var kh = 0; kh < kH; kh++)
            for (var kw = 0; kw < kW; kw++) offs[kh * kW + kw] = kh * g.Dilation.H * cols + kw * g.Dilation.W;
        var buffer = Scratch.Rent(rows * cols);
        try
        {
            fixed (float* src = buffer)
            {
                new Span<float>(src, rows * cols).Clear();
                var (first, last) = (item * PlanesPerItem, Math.Min(g.Batch * g.OutChannels, (item + 1) * PlanesPerItem));
                for (var p = first; p < last; p++)
                {
                    var (n, co) = (p / g.OutChannels, p % g.OutChannels);
                    var xPlane = x + (long)(n * g.InChannels + co / m) * g.Input.Product;
                    Place(src, rows, cols, xPlane, g.Input.H, g.Input.W, g.PadBefore.H, g.PadBefore.W);
                    if (p + 1 < last) Prefetch(x + (long)((p + 1) / g.OutChannels * g.InChannels + (p + 1) % g.OutChannels / m) * g.Input.Product, g.Input.Product);
                    Correlate(src, cols, y + (long)p * g.Output.Product, g.Output.H, g.Output.W, offs, w + (long)co * kP, kP,
                        bias == null ? 0f : bias[co]);
                }
            }
        }
        finally
        {
            Scratch.Return(buffer);
        }
    }

    /// <summary>Input-gradient planes item·8 … item·8+7: Σ over the channel's outputs and taps, one chain each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardData(in ConvGeometry g, float* dy, float* w, float* dx, int item)
    {
        var (kH, kW, kP, m) = (g.Kernel.H, g.Kernel.W, g.Kernel.Product, g.OutPerGroup);
        var (dH, dW) = (g.Dilation.H, g.Dilation.W);
        var (rows, cols) = (g.Input.H + (kH - 1) * dH, Round8(g.Input.W) + (kW - 1) * dW);
        var plane = rows * cols;
        var (n0, c0) = ((kH - 1) * dH - g.PadBefore.H, (kW - 1) * dW - g.PadBefore.W);
        var offs = stackalloc int[m * kP];
        var taps = stackalloc float[m * kP];
        var buffer = Scratch.Rent(m * plane);
        try
        {
            fixed (float* src = buffer)
            {
                new Span<float>(src, m * plane).Clear();
                var (first, last) = (item * PlanesPerItem, Math.Min(g.Batch * g.InChannels, (item + 1) * PlanesPerItem));
                for (var p = first; p < last; p++)
                {
                    var (n, ci) = (p / g.InChannels, p % g.InChannels);
                    if (p + 1 < last) Prefetch(dy + (long)(n * g.OutChannels + (ci + 1) * m) * g.Output.Product, m * g.Output.Product);
                    for (var j = 0; j < m; j++)
                    {
                        var co = ci * m + j;
                        Place(src + j * plane, rows, cols, dy + (long)(n * g.OutChannels + co) * g.Output.Product,
                            g.Output.H, g.Output.W, n0, c0);
                        // Flipped taps: dx[i] = Σ w[k]·dy[i + pad − k·dil] = Σ w[K−1−k']·dyPadded[i + k'·dil].
                        for (var kh = 0; kh < kH; kh++)
                            for (var kw = 0; kw < kW; kw++)
                            {
                                var t = j * kP + kh * kW + kw;
                                offs[t] = j * plane + kh * dH * cols + kw * dW;
                                taps[t] = w[(long)co * kP + (kH - 1 - kh) * kW + (kW - 1 - kw)];
                            }
                    }
                    Correlate(src, cols, dx + (long)p * g.Input.Product, g.Input.H, g.Input.W, offs, taps, m * kP, 0f);
                }
            }
        }
        finally
        {
            Scratch.Return(buffer);
        }
    }

    /// <summary>
    /// dw (and the bias gradient when <paramref name="dbias"/> is not null) of output channel co: per tap four
    /// vectors of running sums over every row of every image, folded once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardFilter(in ConvGeometry g, float* x, float* dy, float* dw, float* dbias, int co)
    {
        var (kH, kW, kP, oH, oW) = (g.Kernel.H, g.Kernel.W, g.Kernel.Product, g.Output.H, g.Output.W);
        var (rows, cols, dyCols) = (oH + (kH - 1) * g.Dilation.H, Round8(oW) + (kW - 1) * g.Dilation.W, Round8(oW));
        var copyDy = dyCols != oW;
        var acc = stackalloc Vector256<float>[4 * (kP + 1)];
        for (var i = 0; i < 4 * (kP + 1); i++) acc[i] = Vector256<float>.Zero;
        // The last vector of a row reaches past the output: dy is zero there, and x is masked so that an
        // infinite input the reference never multiplies cannot turn into NaN.
        var tailMask = Vector256.LessThan(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((float)(oW - (dyCols - 8))));
        var buffer = Scratch.Rent(rows * cols + (copyDy ? oH * dyCols : 0));
        try
        {
            fixed (float* src = buffer)
            {
                new Span<float>(src, buffer.Length).Clear();
                var dyBuf = src + rows * cols;
                for (var n = 0; n < g.Batch; n++)
                {
                    Place(src, rows, cols, x + (long)(n * g.InChannels + co / g.OutPerGroup) * g.Input.Product,
                        g.Input.H, g.Input.W, g.PadBefore.H, g.PadBefore.W);
                    var dyPlane = dy + (long)(n * g.OutChannels + co) * g.Output.Product;
                    if (n + 1 < g.Batch)
                    {
                        // Each plane is a page of its own here, and hardware prefetchers stop at page boundaries.
                        Prefetch(x + (long)((n + 1) * g.InChannels + co / g.OutPerGroup) * g.Input.Product, g.Input.Product);
                        Prefetch(dyPlane + (long)g.OutChannels * g.Output.Product, g.Output.Product);
                    }
                    if (copyDy) Place(dyBuf, oH, dyCols, dyPlane, oH, oW, 0, 0);
                    var d = copyDy ? dyBuf : dyPlane;
                    if (kH == 3 && kW == 3)
                        DepthwiseFilter3x3.Plane(d, dyCols, src, cols, g.Dilation.H * cols, g.Dilation.W, oH, copyDy, tailMask, acc, dbias != null);
                    else
                    {
                        for (var kh = 0; kh < kH; kh++)
                            for (var kw = 0; kw < kW; kw++)
                                FilterTap(d, dyCols, src + kh * g.Dilation.H * cols + kw * g.Dilation.W, cols, oH, copyDy, tailMask,
                                    acc + 4 * (kh * kW + kw));
                        if (dbias != null) SumPlane(d, dyCols, oH, acc + 4 * kP);
                    }
                }
            }
        }
        finally
        {
            Scratch.Return(buffer);
        }
        for (var t = 0; t < kP; t++) dw[(long)co * kP + t] = Fold(acc + 4 * t);
        if (dbias != null) dbias[co] = Fold(acc + 4 * kP);
    }

    private static float Fold(Vector256<float>* a) => Vector256.Sum((a[0] + a[1]) + (a[2] + a[3]));

    // acc[0..3] += Σ over rows of dy·x, vectors of 32 columns spread over four sums, single vectors into the first.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FilterTap(float* dy, int dyCols, float* x, int cols, int rows, bool masked, Vector256<float> mask, Vector256<float>* acc)
    {
        var (a0, a1, a2, a3) = (acc[0], acc[1], acc[2], acc[3]);
        var full = masked ? dyCols - 8 : dyCols;
        for (var r = 0; r < rows; r++)
        {
            var d = dy + r * dyCols;
            var s = x + r * cols;
            var c = 0;
            for (; c + 32 <= full; c += 32)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.Load(d + c), Vector256.Load(s + c), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Load(d + c + 8), Vector256.Load(s + c + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(Vector256.Load(d + c + 16), Vector256.Load(s + c + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(Vector256.Load(d + c + 24), Vector256.Load(s + c + 24), a3);
            }
            for (; c < full; c += 8) a0 = Vector256.FusedMultiplyAdd(Vector256.Load(d + c), Vector256.Load(s + c), a0);
            if (masked)
                a1 = Vector256.FusedMultiplyAdd(Vector256.Load(d + c), Vector256.ConditionalSelect(mask, Vector256.Load(s + c), Vector256<float>.Zero), a1);
        }
        (acc[0], acc[1], acc[2], acc[3]) = (a0, a1, a2, a3);
    }

    // acc[0..3] += every row of a plane whose rows are a multiple of 8 wide (zero past the output).
    private static void SumPlane(float* d, int dyCols, int rows, Vector256<float>* acc)
    {
        var (a0, a1) = (acc[0], acc[1]);
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < dyCols; c += 8)
                if ((c & 8) == 0) a0 += Vector256.Load(d + r * dyCols + c);
                else a1 += Vector256.Load(d + r * dyCols + c);
        (acc[0], acc[1]) = (a0, a1);
    }

    // dst[r·oW + c] = init + Σ_t taps[t]·src[r·cols + c + offs[t]]: four vectors of a row in registers; a row not a
    // multiple of 8 wide ends with a vector that overlaps the previous one, which recomputes the same values.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Correlate(float* src, int cols, float* dst, int oH, int oW, int* offs, float* taps, int n, float init)
    {
        var start = Vector256.Create(init);
        var narrow = stackalloc float[8];
        for (var r = 0; r < oH; r++)
        {
            var s = src + r * cols;
            var d = dst + r * oW;
            if (oW < 8)
            {
                Block1(s, narrow, offs, taps, n, start);
                new Span<float>(narrow, oW).CopyTo(new Span<float>(d, oW));
                continue;
            }
            var c = 0;
            for (; c + 32 <= oW; c += 32) Block4(s + c, d + c, offs, taps, n, start);
            for (; c + 8 <= oW; c += 8) Block1(s + c, d + c, offs, taps, n, start);
            if (c < oW) Block1(s + oW - 8, d + oW - 8, offs, taps, n, start);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4(float* s, float* d, int* offs, float* taps, int n, Vector256<float> start)
    {
        var (a0, a1, a2, a3) = (start, start, start, start);
        for (var t = 0; t < n; t++)
        {
            var w = Vector256.Create(taps[t]);
            var p = s + offs[t];
            a0 = Vector256.FusedMultiplyAdd(w, Vector256.Load(p), a0);
            a1 = Vector256.FusedMultiplyAdd(w, Vector256.Load(p + 8), a1);
            a2 = Vector256.FusedMultiplyAdd(w, Vector256.Load(p + 16), a2);
            a3 = Vector256.FusedMultiplyAdd(w, Vector256.Load(p + 24), a3);
        }
        a0.Store(d);
        a1.Store(d + 8);
        a2.Store(d + 16);
        a3.Store(d + 24);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1(float* s, float* d, int* offs, float* taps, int n, Vector256<float> start)
    {
        var a = start;
        for (var t = 0; t < n; t++) a = Vector256.FusedMultiplyAdd(Vector256.Create(taps[t]), Vector256.Load(s + offs[t]), a);
        a.Store(d);
    }

    // Copies an h×w plane into a rows×cols buffer at (r0, c0), clipped to the buffer; the rest of the buffer is
    // left alone, so its zero border survives from plane to plane.
    internal static void Place(float* dst, int rows, int cols, float* src, int h, int w, int r0, int c0)
    {
        var (jLo, jHi) = (Math.Max(0, -c0), Math.Min(w, cols - c0));
        if (jLo >= jHi) return;
        var n = jHi - jLo;
        for (var i = Math.Max(0, -r0); i < h && i + r0 < rows; i++)
        {
            // Rows are short (tens of floats): an inline vector copy beats a call to a general memcpy per row.
            float* s = src + i * w + jLo, d = dst + (i + r0) * cols + c0 + jLo;
            var j = 0;
            for (; j + 8 <= n; j += 8) Vector256.Store(Vector256.Load(s + j), d + j);
            for (; j < n; j++) d[j] = s[j];
        }
    }

    // Asks for the cache lines of the next plane while this one is computed.
    private static void Prefetch(float* p, int floats)
    {
        if (!Sse.IsSupported) return;
        for (var i = 0; i < floats; i += 16) Sse.Prefetch0(p + i);
    }

    private static int Round8(int v) => (v + 7) & ~7;
}
