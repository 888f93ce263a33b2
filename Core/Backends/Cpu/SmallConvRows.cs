using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The forward and backward-data passes of ungrouped convolutions with few channels (LeNet's layers), without
/// im2col: each image's planes are copied once into zero-bordered scratch planes, and a register tile of six
/// output channels × sixteen output columns sums every tap of every input channel, skipping the kernel rows that
/// fall in the zero border, with the six weights of a tap broadcast and the sixteen inputs loaded straight from the
/// padded row. Backward-data is the same correlation of the zero-bordered dy planes with the flipped, transposed
/// kernel. Every output value is one fixed chain of fused multiply-adds in (kernel row, channel, kernel column)
/// order, so the result does not depend on which thread computes which image.
/// </summary>
internal static unsafe class SmallConvRows
{
    private const int Mr = 6;

    /// <summary>One correlation: source planes, their placement, the output and the taps.</summary>
    internal readonly record struct Problem(
        int SrcChannels, int SrcH, int SrcW, int PadTop, int PadLeft, int Rows, int Cols,
        int OutChannels, int OutH, int OutW, int StrideH, int KernelH, int DilationH, int Taps)
    {
        /// <summary>Taps per kernel row: every source channel × kernel column (taps run kernel-row-major).</summary>
        public int TapsPerRow => Taps / KernelH;

        /// <summary>Many output channels over rows narrower than a tile: tile positions × channels instead.</summary>
        public bool ByPosition => OutChannels >= 12 && OutW < 16;

        /// <summary>The kernel rows whose source row for output row r lies in the source, not in its zero border.</summary>
        public (int Lo, int Hi) LiveRows(int r)
        {
            var top = r * StrideH;
            var lo = PadTop > top ? (PadTop - top + DilationH - 1) / DilationH : 0;
            var last = PadTop + SrcH - 1 - top;
            var hi = last < 0 ? 0 : Math.Min(KernelH, last / DilationH + 1);
            return (Math.Min(lo, KernelH), Math.Max(Math.Min(lo, KernelH), hi));
        }
    }

    /// <summary>Whether the forward pass runs here: 2-d (or 1-d), ungrouped, unit stride along W, few channels.</summary>
    public static bool AppliesForward(in ConvGeometry g) =>
        Vector256.IsHardwareAccelerated && g.Groups == 1 && g.Input.D == 1 && g.Kernel.D == 1 && g.Output.D == 1 && g.PadBefore.D == 0
        && g.Stride.W == 1 && g.OutChannels <= 32 && g.InChannels <= 16 && g.Kernel.Product > 1 && g.InChannels * g.Kernel.Product <= 1024
        && Bordered(g.InChannels, g.Output.H, g.Output.W, g.Stride.H, g) <= Scratch.MaxBorderedFloats;

    /// <summary>Whether backward-data runs here: as <see cref="AppliesForward"/>, at unit stride.</summary>
    public static bool AppliesBackwardData(in ConvGeometry g) => AppliesForward(g) && g.Stride.H == 1
        && Bordered(g.OutChannels, g.Input.H, g.Input.W, 1, g) <= Scratch.MaxBorderedFloats;

    // Floats in one image's zero-bordered planes (Layout's Rows × Cols per channel), in 64 bits: a huge padding or
    // dilation with a small output would overflow the int offsets the kernels use.
    private static long Bordered(int channels, int outH, int outW, int strideH, in ConvGeometry g) =>
        channels * ((outH - 1L) * strideH + (g.Kernel.H - 1L) * g.Dilation.H + 1) * (Math.Max(outW, 32) + (g.Kernel.W - 1L) * g.Dilation.W);

    /// <summary>y = bias + x ⋆ w (then the ReLU, on each image while it is in cache, when <paramref name="relu"/>),
    /// one image per work item.</summary>
    public static void Forward(WorkerPool pool, in ConvGeometry g, float* x, float* w, float* bias, float* y, bool relu)
    {
        var (kH, kW, dH, dW) = (g.Kernel.H, g.Kernel.W, g.Dilation.H, g.Dilation.W);
        var p = Layout(g.InChannels, g.Input.H, g.Input.W, g.PadBefore.H, g.PadBefore.W, g.OutChannels, g.Output.H, g.Output.W,
            g.Stride.H, g.Kernel, g.Dilation);
        var cin = g.InChannels;
        Run(pool, g.Batch, p, x, y, bias, w, relu, k =>
        {
            var (kh, ci, kw) = (k / (cin * kW), k / kW % cin, k % kW);
            return (ci * p.Rows * p.Cols + kh * dH * p.Cols + kw * dW, (ci * kH + kh) * kW + kw, cin * kH * kW);
        });
    }

    /// <summary>dx = dy correlated with the flipped kernel (channels swapped), one image per work item.</summary>
    public static void BackwardData(WorkerPool pool, in ConvGeometry g, float* dy, float* w, float* dx)
    {
        var (kH, kW, dH, dW) = (g.Kernel.H, g.Kernel.W, g.Dilation.H, g.Dilation.W);
        var p = Layout(g.OutChannels, g.Output.H, g.Output.W, (kH - 1) * dH - g.PadBefore.H, (kW - 1) * dW - g.PadBefore.W,
            g.InChannels, g.Input.H, g.Input.W, 1, g.Kernel, g.Dilation);
        var (cin, cout) = (g.InChannels, g.OutChannels);
        Run(pool, g.Batch, p, dy, dx, null, w, false, k =>
        {
            var (kh, co, kw) = (k / (cout * kW), k / kW % cout, k % kW);
            return (co * p.Rows * p.Cols + kh * dH * p.Cols + kw * dW, (co * cin * kH + kH - 1 - kh) * kW + kW - 1 - kw, kH * kW);
        });
    }

    private static Problem Layout(int srcC, int srcH, int srcW, int padTop, int padLeft, int outC, int oH, int oW, int sH, Dims3 k, Dims3 dil) =>
        new(srcC, srcH, srcW, padTop, padLeft, (oH - 1) * sH + (k.H - 1) * dil.H + 1, Math.Max(oW, 32) + (k.W - 1) * dil.W,
            outC, oH, oW, sH, k.H, dil.H, srcC * k.H * k.W);

    // Tap k: its offset in the padded source, and where its weight for output channel c lies (First + c·Stride).
    private delegate (int Offset, int First, int Stride) Tap(int k);

    // Packs the taps (offset, and the weights of six output channels per tile), then runs one image per item.
    private static void Run(WorkerPool pool, int batch, Problem p, float* src, float* dst, float* bias, float* w, bool relu, Tap tap)
    {
        var (width, tiles) = p.ByPosition ? (SmallConvPositions.Nr, (p.OutChannels + SmallConvPositions.Nr - 1) / SmallConvPositions.Nr)
            : (Mr, (p.OutChannels + Mr - 1) / Mr);
        var packed = Scratch.Rent(tiles * p.Taps * width);
        var offs = stackalloc int[p.Taps];
        fixed (float* wp = packed)
        {
            // Tile by tile rather than dividing each channel index by the tile width: two integer divisions per
            // weight cost more than LeNet C3's whole conv at batch 1.
            for (var k = 0; k < p.Taps; k++)
            {
                var (offset, first, stride) = tap(k);
                offs[k] = offset;
                for (var t = 0; t < tiles; t++)
                {
                    var packedTap = wp + ((long)t * p.Taps + k) * width;
                    for (var j = 0; j < width; j++)
                    {
                        var c = t * width + j;
                        packedTap[j] = c < p.OutChannels ? w[first + (long)c * stride] : 0f;
                    }
                }
            }
            var (aw, ao, asrc, adst, ab) = ((nint)wp, (nint)offs, (nint)src, (nint)dst, (nint)bias);
            var image = p.OutChannels * p.OutH * p.OutW;
            pool.For(batch, n =>
            {
                Image(p, (float*)asrc, (float*)adst, (float*)ab, (float*)aw, (int*)ao, n);
                if (relu) CpuBackend.ReLUInPlace((float*)adst + (long)n * image, image);
            });
        }
        Scratch.Return(packed);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Image(in Problem p, float* src, float* dst, float* bias, float* wp, int* offs, int n)
    {
        var plane = p.Rows * p.Cols;
        var buffer = Scratch.Rent(p.SrcChannels * plane + 8);
        var narrow = stackalloc float[Mr * 16];  // also holds one 32-column row
        var init = stackalloc float[Mr];
        try
        {
            fixed (float* pad = buffer)
            {
                new Span<float>(pad, buffer.Length).Clear();
                for (var c = 0; c < p.SrcChannels; c++)
                    DepthwisePlanes.Place(pad + c * plane, p.Rows, p.Cols, src + ((long)n * p.SrcChannels + c) * p.SrcH * p.SrcW,
                        p.SrcH, p.SrcW, p.PadTop, p.PadLeft);
                var outPlane = p.OutH * p.OutW;
                var outImage = dst + (long)n * p.OutChannels * outPlane;
                if (p.ByPosition)
                {
                    SmallConvPositions.Image(p, pad, outImage, bias, wp, offs);
                    return;
                }
                if (p.OutChannels <= 2)
                {
                    OneChannel(p, pad, outImage, bias, wp, offs, narrow);
                    return;
                }
                for (var t = 0; t * Mr < p.OutChannels; t++)
                {
                    var (c0, live) = (t * Mr, Math.Min(Mr, p.OutChannels - t * Mr));
                    for (var j = 0; j < Mr; j++) init[j] = bias != null && j < live ? bias[c0 + j] : 0f;
                    var w = wp + (long)t * p.Taps * Mr;
                    for (var r = 0; r < p.OutH; r++)
                    {
                        // Kernel rows that fall in the zero border contribute nothing: skip their taps.
                        var (lo, hi) = p.LiveRows(r);
                        var (kw0, taps) = (lo * p.TapsPerRow, (hi - lo) * p.TapsPerRow);
                        var row = pad + r * p.StrideH * p.Cols;
                        var o = outImage + (long)c0 * outPlane + r * p.OutW;
                        if (p.OutW < 16)
                        {
                            Tile(row, w + kw0 * Mr, offs + kw0, taps, init, narrow, 16);
                            for (var j = 0; j < live; j++)
                                new Span<float>(narrow + j * 16, p.OutW).CopyTo(new Span<float>(o + j * outPlane, p.OutW));
                            continue;
                        }
                        for (var c = 0; ; c += 16)
                        {
                            var at = Math.Min(c, p.OutW - 16);
                            if (live == Mr) Tile(row + at, w + kw0 * Mr, offs + kw0, taps, init, o + at, outPlane);
                            else
                            {
                                Tile(row + at, w + kw0 * Mr, offs + kw0, taps, init, narrow, 16);
                                for (var j = 0; j < live; j++)
                                    new Span<float>(narrow + j * 16, 16).CopyTo(new Span<float>(o + at + j * outPlane, 16));
                            }
                            if (at == p.OutW - 16) break;
                        }
                    }
                }
            }
        }
        finally
        {
            Scratch.Return(buffer);
        }
    }

    // One or two output channels fill a six-channel tile poorly: each runs alone, 32 columns at a time.
    private static void OneChannel(in Problem p, float* pad, float* outImage, float* bias, float* wp, int* offs, float* narrow)
    {
        var outPlane = p.OutH * p.OutW;
        for (var c = 0; c < p.OutChannels; c++)
        {
            var start = Vector256.Create(bias != null ? bias[c] : 0f);
            for (var r = 0; r < p.OutH; r++)
            {
                var (lo, hi) = p.LiveRows(r);
                var (k0, taps) = (lo * p.TapsPerRow, (hi - lo) * p.TapsPerRow);
                var row = pad + r * p.StrideH * p.Cols;
                var o = outImage + (long)c * outPlane + r * p.OutW;
                var w = wp + k0 * Mr + c;
                if (p.OutW < 32)
                {
                    Tile1(row, w, offs + k0, taps, start, narrow);
                    new Span<float>(narrow, p.OutW).CopyTo(new Span<float>(o, p.OutW));
                    continue;
                }
                for (var at = 0; ; at += 32)
                {
                    at = Math.Min(at, p.OutW - 32);
                    Tile1(row + at, w, offs + k0, taps, start, o + at);
                    if (at == p.OutW - 32) break;
                }
            }
        }
    }

    // o[0..31] = start + Σ_k w[k·6] · s[offs[k] + 0..31].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile1(float* s, float* w, int* offs, int taps, Vector256<float> start, float* o)
    {
        var (a0, a1, a2, a3) = (start, start, start, start);
        for (var k = 0; k < taps; k++, w += Mr)
        {
            var q = s + offs[k];
            var b = Vector256.Create(*w);
            a0 = Vector256.FusedMultiplyAdd(b, Vector256.Load(q), a0);
            a1 = Vector256.FusedMultiplyAdd(b, Vector256.Load(q + 8), a1);
            a2 = Vector256.FusedMultiplyAdd(b, Vector256.Load(q + 16), a2);
            a3 = Vector256.FusedMultiplyAdd(b, Vector256.Load(q + 24), a3);
        }
        a0.Store(o); a1.Store(o + 8); a2.Store(o + 16); a3.Store(o + 24);
    }

    // out[j·stride + 0..15] = init[j] + Σ_k w[k·6 + j] · s[offs[k] + 0..15] for the six channels j of a tile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(float* s, float* w, int* offs, int taps, float* init, float* o, int stride)
    {
        Vector256<float> a00 = Vector256.Create(init[0]), a10 = Vector256.Create(init[1]), a20 = Vector256.Create(init[2]);
        Vector256<float> a30 = Vector256.Create(init[3]), a40 = Vector256.Create(init[4]), a50 = Vector256.Create(init[5]);
        var (a01, a11, a21, a31, a41, a51) = (a00, a10, a20, a30, a40, a50);
        for (var k = 0; k < taps; k++, w += Mr)
        {
            var q = s + offs[k];
            var (v0, v1) = (Vector256.Load(q), Vector256.Load(q + 8));
            var b = Vector256.Create(w[0]);
            (a00, a01) = (Vector256.FusedMultiplyAdd(b, v0, a00), Vector256.FusedMultiplyAdd(b, v1, a01));
            b = Vector256.Create(w[1]);
            (a10, a11) = (Vector256.FusedMultiplyAdd(b, v0, a10), Vector256.FusedMultiplyAdd(b, v1, a11));
            b = Vector256.Create(w[2]);
            (a20, a21) = (Vector256.FusedMultiplyAdd(b, v0, a20), Vector256.FusedMultiplyAdd(b, v1, a21));
            b = Vector256.Create(w[3]);
            (a30, a31) = (Vector256.FusedMultiplyAdd(b, v0, a30), Vector256.FusedMultiplyAdd(b, v1, a31));
            b = Vector256.Create(w[4]);
            (a40, a41) = (Vector256.FusedMultiplyAdd(b, v0, a40), Vector256.FusedMultiplyAdd(b, v1, a41));
            b = Vector256.Create(w[5]);
            (a50, a51) = (Vector256.FusedMultiplyAdd(b, v0, a50), Vector256.FusedMultiplyAdd(b, v1, a51));
        }
        a00.Store(o); a01.Store(o + 8);
        a10.Store(o + stride); a11.Store(o + stride + 8);
        a20.Store(o + 2 * stride); a21.Store(o + 2 * stride + 8);
        a30.Store(o + 3 * stride); a31.Store(o + 3 * stride + 8);
        a40.Store(o + 4 * stride); a41.Store(o + 4 * stride + 8);
        a50.Store(o + 5 * stride); a51.Store(o + 5 * stride + 8);
    }
}
