using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// Depthwise convolutions at unit stride over 1-d and 2-d planes, register-blocked: each plane is first copied
/// into a zero-bordered scratch plane, so every output vector is a straight chain of one fused multiply-add per
/// tap with no border tests, and four vectors of a row are kept in registers while the taps stream past. The
/// backward-data pass is the same correlation of the zero-bordered dy planes with the flipped taps, summed over
/// the channel multiplier in one chain (the filter gradient is <see cref="DepthwiseFilter"/>). Each output value
/// is computed by one fixed chain whichever item or thread computes it, so results do not depend on the thread
/// count.
/// </summary>
internal static unsafe class DepthwisePlanes
{
    private const int MaxTaps = 64;

    /// <summary>Planes per work item: enough to amortise renting and zeroing the scratch plane.</summary>
    public const int PlanesPerItem = 8;

    /// <summary>Whether these kernels handle <paramref name="g"/>: unit strides, no depth, at most 64 taps per chain.</summary>
    public static bool Applies(in ConvGeometry g) =>
        Vector256.IsHardwareAccelerated && g.Input.D == 1 && g.Kernel.D == 1 && g.Output.D == 1 && g.PadBefore.D == 0
        && g.Stride.H == 1 && g.Stride.W == 1 && g.Kernel.Product * g.OutPerGroup <= MaxTaps
        // The bordered scratch plane of either direction, in 64 bits (a huge dilation would overflow its int offsets).
        && (Math.Max(g.Output.H, g.Input.H) + (g.Kernel.H - 1L) * g.Dilation.H) * (Math.Max(g.Output.W, g.Input.W) + 8 + (g.Kernel.W - 1L) * g.Dilation.W)
            <= Scratch.MaxBorderedFloats;

    /// <summary>Work items covering <paramref name="planes"/> planes.</summary>
    public static int Items(int planes) => (planes + PlanesPerItem - 1) / PlanesPerItem;

    /// <summary>Output planes item·8 … item·8+7 (image-major, then channel): bias, then the taps in order (then the
    /// ReLU, on each plane while it is in cache, when <paramref name="relu"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvGeometry g, float* x, float* w, float* bias, float* y, int item, bool relu)
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
                    if (p + 1 < last)
                        Prefetch(x + (long)((p + 1) / g.OutChannels * g.InChannels + (p + 1) % g.OutChannels / m) * g.Input.Product, g.Input.Product);
                    Correlate(src, cols, y + (long)p * g.Output.Product, g.Output.H, g.Output.W, offs, w + (long)co * kP, kP,
                        bias == null ? 0f : bias[co]);
                    if (relu) CpuBackend.ReLUInPlace(y + (long)p * g.Output.Product, g.Output.Product);
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

    // dst[r·oW + c] = init + Σ_t taps[t]·src[r·rowStride + c + offs[t]]: four vectors of a row in registers; a row
    // not a multiple of 8 wide ends with a vector that overlaps the previous one, which recomputes the same values.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Correlate(float* src, int rowStride, float* dst, int oH, int oW, int* offs, float* taps, int n, float init)
    {
        var start = Vector256.Create(init);
        var narrow = stackalloc float[8];
        // Rows narrower than a vector (MobileNet's 7×7 planes) store through a lane mask: copying them out of a
        // temporary ran six times slower than the eight-wide rows, the vector store not forwarding to the copy's loads.
        var mask = Avx.IsSupported && oW < 8 ? Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(oW)).AsSingle() : default;
        for (var r = 0; r < oH; r++)
        {
            var s = src + (long)r * rowStride;
            var d = dst + r * oW;
            if (oW < 8)
            {
                if (Avx.IsSupported)
                {
                    Avx.MaskStore(d, mask, Sum1(s, offs, taps, n, start));
                    continue;
                }
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
    private static void Block1(float* s, float* d, int* offs, float* taps, int n, Vector256<float> start) =>
        Sum1(s, offs, taps, n, start).Store(d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Sum1(float* s, int* offs, float* taps, int n, Vector256<float> start)
    {
        var a = start;
        for (var t = 0; t < n; t++) a = Vector256.FusedMultiplyAdd(Vector256.Create(taps[t]), Vector256.Load(s + offs[t]), a);
        return a;
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
    internal static void Prefetch(float* p, int floats)
    {
        if (!Sse.IsSupported) return;
        for (var i = 0; i < floats; i += 16) Sse.Prefetch0(p + i);
    }

    internal static int Round8(int v) => (v + 7) & ~7;
}
