using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The filter (and bias) gradient of the depthwise convolutions <see cref="DepthwisePlanes"/> runs. Work items are
/// fixed blocks of 8 images × 16 channels, walked image by image so that x and dy stream through memory in long
/// contiguous runs; within an item every channel keeps four vectors of running sums per tap (for 3×3 the nine tap
/// sums and the bias sum stay in registers over a plane, <see cref="DepthwiseFilter3x3"/>), folded once per item.
/// The per-item partials are added in image-block order, so the result does not depend on the thread count.
/// </summary>
internal static unsafe class DepthwiseFilter
{
    private const int ImagesPerChunk = 8, ChannelsPerBlock = 16;

    /// <summary>dw, and dbias when it is not null, of every output channel.</summary>
    public static void BackwardFilter(WorkerPool pool, in ConvGeometry g, float* x, float* dy, float* dw, float* dbias)
    {
        var (kP, channels) = (g.Kernel.Product, g.OutChannels);
        var sums = kP + 1;
        var (chunks, blocks) = ((g.Batch + ImagesPerChunk - 1) / ImagesPerChunk, (channels + ChannelsPerBlock - 1) / ChannelsPerBlock);
        var partial = Scratch.Rent(chunks * channels * sums);
        var geo = g;
        fixed (float* part = partial)
        {
            var (ax, ady, ap, bias) = ((nint)x, (nint)dy, (nint)part, dbias != null);
            pool.For(chunks * blocks, item => Item(geo, (float*)ax, (float*)ady, (float*)ap, item / blocks, item % blocks, bias));
            for (var co = 0; co < channels; co++)
                for (var t = 0; t < sums; t++)
                {
                    if (t == kP && dbias == null) break;
                    var total = 0f;
                    for (var c = 0; c < chunks; c++) total += part[((long)c * channels + co) * sums + t];
                    if (t < kP) dw[(long)co * kP + t] = total;
                    else dbias[co] = total;
                }
        }
        Scratch.Return(partial);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Item(in ConvGeometry g, float* x, float* dy, float* part, int chunk, int block, bool bias)
    {
        var (kH, kW, kP, oH, oW) = (g.Kernel.H, g.Kernel.W, g.Kernel.Product, g.Output.H, g.Output.W);
        var (rows, cols, dyCols) = (oH + (kH - 1) * g.Dilation.H, DepthwisePlanes.Round8(oW) + (kW - 1) * g.Dilation.W, DepthwisePlanes.Round8(oW));
        var (n0, n1) = (chunk * ImagesPerChunk, Math.Min(g.Batch, (chunk + 1) * ImagesPerChunk));
        var (c0, c1) = (block * ChannelsPerBlock, Math.Min(g.OutChannels, (block + 1) * ChannelsPerBlock));
        var (copyDy, vectors) = (dyCols != oW, 4 * (kP + 1));
        // The last vector of a row reaches past the output: dy is zero there, and x is masked so that an
        // infinite input the reference never multiplies cannot turn into NaN.
        var tailMask = Vector256.LessThan(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((float)(oW - (dyCols - 8))));
        var planeLength = rows * cols + (copyDy ? oH * dyCols : 0);
        var buffer = Scratch.Rent(planeLength + (c1 - c0) * vectors * 8 + 8);
        try
        {
            fixed (float* scratch = buffer)
            {
                new Span<float>(scratch, buffer.Length).Clear();
                var src = scratch;
                var dyBuf = scratch + rows * cols;
                var accs = (Vector256<float>*)(scratch + planeLength);
                for (var n = n0; n < n1; n++)
                    for (var co = c0; co < c1; co++)
                    {
                        var acc = accs + (co - c0) * vectors;
                        DepthwisePlanes.Place(src, rows, cols, x + (long)(n * g.InChannels + co / g.OutPerGroup) * g.Input.Product,
                            g.Input.H, g.Input.W, g.PadBefore.H, g.PadBefore.W);
                        var dyPlane = dy + (long)(n * g.OutChannels + co) * g.Output.Product;
                        var (nn, nc) = co + 1 < c1 ? (n, co + 1) : (n + 1, c0);
                        if (nn < n1)
                        {
                            DepthwisePlanes.Prefetch(x + (long)(nn * g.InChannels + nc / g.OutPerGroup) * g.Input.Product, g.Input.Product);
                            DepthwisePlanes.Prefetch(dy + (long)(nn * g.OutChannels + nc) * g.Output.Product, g.Output.Product);
                        }
                        if (copyDy) DepthwisePlanes.Place(dyBuf, oH, dyCols, dyPlane, oH, oW, 0, 0);
                        var d = copyDy ? dyBuf : dyPlane;
                        if (kH == 3 && kW == 3)
                            DepthwiseFilter3x3.Plane(d, dyCols, src, cols, g.Dilation.H * cols, g.Dilation.W, oH, copyDy, tailMask, acc, bias);
                        else
                        {
                            for (var kh = 0; kh < kH; kh++)
                                for (var kw = 0; kw < kW; kw++)
                                    FilterTap(d, dyCols, src + kh * g.Dilation.H * cols + kw * g.Dilation.W, cols, oH, copyDy, tailMask,
                                        acc + 4 * (kh * kW + kw));
                            if (bias) SumPlane(d, dyCols, oH, acc + 4 * kP);
                        }
                    }
                for (var co = c0; co < c1; co++)
                    for (var t = 0; t <= kP; t++)
                        part[((long)chunk * g.OutChannels + co) * (kP + 1) + t] = Fold(accs + (co - c0) * vectors + 4 * t);
            }
        }
        finally
        {
            Scratch.Return(buffer);
        }
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
                a1 = Vector256.FusedMultiplyAdd(Vector256.Load(d + c), Vector256.Load(s + c) & mask, a1);
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

}
