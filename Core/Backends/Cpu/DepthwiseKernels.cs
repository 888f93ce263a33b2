using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// Direct kernels for convolutions with one input channel per group (depthwise, with any channel multiplier):
/// im2col would copy each input kΠ times to feed a GEMM with a single row of reduction, so instead each kernel tap
/// is one strip of multiply-adds along an output row. Output channel co reads input channel co / (C_out/G).
/// </summary>
internal static unsafe class DepthwiseKernels
{
    /// <summary>The output plane co of image n: bias, then every tap in (kd, kh, kw) order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardPlane(in ConvGeometry g, float* x, float* w, float* bias, float* y, int n, int co)
    {
        var (inP, outP, kP) = (g.Input.Product, g.Output.Product, g.Kernel.Product);
        var xPlane = x + (long)(n * g.InChannels + co / g.OutPerGroup) * inP;
        var yPlane = y + (long)(n * g.OutChannels + co) * outP;
        var taps = w + (long)co * kP;
        Simd.Fill(yPlane, bias == null ? 0f : bias[co], outP);
        Visit(g, xPlane, yPlane, taps, Direction.Forward);
    }

    /// <summary>The input-gradient plane ci of image n, summed over the channel's outputs in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardDataPlane(in ConvGeometry g, float* dy, float* w, float* dx, int n, int ci)
    {
        var (inP, outP, kP) = (g.Input.Product, g.Output.Product, g.Kernel.Product);
        var dxPlane = dx + (long)(n * g.InChannels + ci) * inP;
        new Span<float>(dxPlane, inP).Clear();
        for (var j = 0; j < g.OutPerGroup; j++)
        {
            var co = ci * g.OutPerGroup + j;
            Visit(g, dxPlane, dy + (long)(n * g.OutChannels + co) * outP, w + (long)co * kP, Direction.BackwardData);
        }
    }

    /// <summary>dw for output channel co: Σ over images and output rows, per tap, in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardFilterChannel(in ConvGeometry g, float* x, float* dy, float* dw, int co)
    {
        var (inP, outP, kP) = (g.Input.Product, g.Output.Product, g.Kernel.Product);
        var taps = dw + (long)co * kP;
        new Span<float>(taps, kP).Clear();
        if (g.Stride.W == 1 && kP <= MaxVectorTaps && Vector256.IsHardwareAccelerated)
        {
            FilterChannelUnitStride(g, x, dy, taps, co);
            return;
        }
        for (var n = 0; n < g.Batch; n++)
            Visit(g, x + (long)(n * g.InChannels + co / g.OutPerGroup) * inP, dy + (long)(n * g.OutChannels + co) * outP,
                taps, Direction.BackwardFilter);
    }

    private const int MaxVectorTaps = 512;

    // Unit stride along W: each tap keeps a vector of running sums over every row of every image and is folded
    // once at the end, instead of folding a dot product per row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterChannelUnitStride(in ConvGeometry g, float* x, float* dy, float* taps, int co)
    {
        var (inP, outP, kP, W, oW) = (g.Input.Product, g.Output.Product, g.Kernel.Product, g.Input.W, g.Output.W);
        var acc = stackalloc Vector256<float>[kP];
        var tail = stackalloc float[kP];
        for (var t = 0; t < kP; t++) (acc[t], tail[t]) = (Vector256<float>.Zero, 0f);
        for (var n = 0; n < g.Batch; n++)
        {
            var xPlane = x + (long)(n * g.InChannels + co / g.OutPerGroup) * inP;
            var dyPlane = dy + (long)(n * g.OutChannels + co) * outP;
            for (var od = 0; od < g.Output.D; od++)
                for (var kd = 0; kd < g.Kernel.D; kd++)
                {
                    var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
                    if ((uint)id >= (uint)g.Input.D) continue;
                    for (var oh = 0; oh < g.Output.H; oh++)
                    {
                        var dyRow = dyPlane + (od * g.Output.H + oh) * oW;
                        for (var kh = 0; kh < g.Kernel.H; kh++)
                        {
                            var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
                            if ((uint)ih >= (uint)g.Input.H) continue;
                            var xRow = xPlane + (id * g.Input.H + ih) * W;
                            for (var kw = 0; kw < g.Kernel.W; kw++)
                            {
                                var iw0 = kw * g.Dilation.W - g.PadBefore.W;
                                var (lo, hi) = Im2Col.ValidRange(iw0, 1, W, oW);
                                var (t, len) = ((kd * g.Kernel.H + kh) * g.Kernel.W + kw, hi - lo);
                                float* xs = xRow + iw0 + lo, ds = dyRow + lo;
                                var i = 0;
                                var v = acc[t];
                                for (; i <= len - 8; i += 8) v = Vector256.FusedMultiplyAdd(Vector256.Load(ds + i), Vector256.Load(xs + i), v);
                                acc[t] = v;
                                for (; i < len; i++) tail[t] = MathF.FusedMultiplyAdd(ds[i], xs[i], tail[t]);
                            }
                        }
                    }
                }
        }
        for (var t = 0; t < kP; t++) taps[t] = Vector256.Sum(acc[t]) + tail[t];
    }

    private enum Direction { Forward, BackwardData, BackwardFilter }

    // Walks every (output row, tap) pair whose input row exists, with the valid output columns of each tap.
    // Forward: out += w·x; backward-data: x += w·out (into dx); backward-filter: w += Σ out·x (into dw).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Visit(in ConvGeometry g, float* xPlane, float* outPlane, float* taps, Direction dir)
    {
        var (sW, W, oW) = (g.Stride.W, g.Input.W, g.Output.W);
        for (var od = 0; od < g.Output.D; od++)
            for (var kd = 0; kd < g.Kernel.D; kd++)
            {
                var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
                if ((uint)id >= (uint)g.Input.D) continue;
                for (var oh = 0; oh < g.Output.H; oh++)
                {
                    var outRow = outPlane + (od * g.Output.H + oh) * oW;
                    for (var kh = 0; kh < g.Kernel.H; kh++)
                    {
                        var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
                        if ((uint)ih >= (uint)g.Input.H) continue;
                        var xRow = xPlane + (id * g.Input.H + ih) * W;
                        var tapRow = taps + (kd * g.Kernel.H + kh) * g.Kernel.W;
                        for (var kw = 0; kw < g.Kernel.W; kw++)
                        {
                            var iw0 = kw * g.Dilation.W - g.PadBefore.W;
                            var (lo, hi) = Im2Col.ValidRange(iw0, sW, W, oW);
                            if (lo >= hi) continue;
                            var xs = xRow + iw0 + lo * sW;
                            var os = outRow + lo;
                            var len = hi - lo;
                            switch (dir)
                            {
                                case Direction.Forward when sW == 1: Simd.Axpy(os, xs, tapRow[kw], len); break;
                                case Direction.Forward:
                                    for (var i = 0; i < len; i++) os[i] = MathF.FusedMultiplyAdd(tapRow[kw], xs[i * sW], os[i]);
                                    break;
                                case Direction.BackwardData when sW == 1: Simd.Axpy(xs, os, tapRow[kw], len); break;
                                case Direction.BackwardData:
                                    for (var i = 0; i < len; i++) xs[i * sW] = MathF.FusedMultiplyAdd(tapRow[kw], os[i], xs[i * sW]);
                                    break;
                                case Direction.BackwardFilter when sW == 1: tapRow[kw] += Simd.Dot(os, xs, len); break;
                                default:
                                    var sum = 0f;
                                    for (var i = 0; i < len; i++) sum = MathF.FusedMultiplyAdd(os[i], xs[i * sW], sum);
                                    tapRow[kw] += sum;
                                    break;
                            }
                        }
                    }
                }
            }
    }
}
