using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// Depthwise forward and backward-data at unit stride, as gathers: eight neighbouring outputs of a row are summed
/// over every tap in one register and stored once, instead of one strip load and store per tap. Columns near the
/// border, where some taps fall outside, run the same chain (bias or previous sum, then taps in (kd, kh, kw) order,
/// fused multiply-adds) one at a time, so an element's bits do not depend on which path computed it.
/// </summary>
internal static unsafe class DepthwiseUnitStride
{
    /// <summary>True when these kernels apply: vectors are accelerated and the stride is 1 (along W for the forward).</summary>
    public static bool Applies(in ConvGeometry g, bool backwardData) =>
        Vector256.IsHardwareAccelerated && g.Stride.W == 1 && (!backwardData || (g.Stride.H == 1 && g.Stride.D == 1));

    /// <summary>y = bias + Σ taps · x over one plane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvGeometry g, float* xPlane, float* yPlane, float* taps, float bias)
    {
        var (W, oW, kW, dW, pW) = (g.Input.W, g.Output.W, g.Kernel.W, g.Dilation.W, g.PadBefore.W);
        // Outputs a ≤ ow < b read every kw tap inside the row.
        var a = Math.Min(pW, oW);
        var b = Math.Clamp(W + pW - (kW - 1) * dW, a, oW);
        for (var od = 0; od < g.Output.D; od++)
            for (var oh = 0; oh < g.Output.H; oh++)
            {
                var yRow = yPlane + (od * g.Output.H + oh) * oW;
                var ow = a;
                for (; ow + 8 <= b; ow += 8)
                {
                    var acc = Vector256.Create(bias);
                    for (var kd = 0; kd < g.Kernel.D; kd++)
                    {
                        var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
                        if ((uint)id >= (uint)g.Input.D) continue;
                        for (var kh = 0; kh < g.Kernel.H; kh++)
                        {
                            var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
                            if ((uint)ih >= (uint)g.Input.H) continue;
                            var xs = xPlane + (id * g.Input.H + ih) * W + ow - pW;
                            var t = taps + (kd * g.Kernel.H + kh) * kW;
                            for (var kw = 0; kw < kW; kw++) acc = Vector256.FusedMultiplyAdd(Vector256.Create(t[kw]), Vector256.Load(xs + kw * dW), acc);
                        }
                    }
                    acc.Store(yRow + ow);
                }
                ForwardEdge(g, xPlane, yRow, taps, bias, od, oh, 0, a);
                ForwardEdge(g, xPlane, yRow, taps, bias, od, oh, ow, oW);
            }
    }

    /// <summary>dx += Σ taps · dy over one plane (all strides 1): dx[i] gathers dy[i + p − k·d] for every tap k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardData(in ConvGeometry g, float* dyPlane, float* dxPlane, float* taps)
    {
        var (W, oW, kW, dW, pW) = (g.Input.W, g.Output.W, g.Kernel.W, g.Dilation.W, g.PadBefore.W);
        // Inputs a ≤ iw < b see every kw tap land inside the dy row.
        var a = Math.Clamp((kW - 1) * dW - pW, 0, W);
        var b = Math.Clamp(oW - pW, a, W);
        for (var id = 0; id < g.Input.D; id++)
            for (var ih = 0; ih < g.Input.H; ih++)
            {
                var dxRow = dxPlane + (id * g.Input.H + ih) * W;
                var iw = a;
                for (; iw + 8 <= b; iw += 8)
                {
                    var acc = Vector256.Load(dxRow + iw);
                    for (var kd = 0; kd < g.Kernel.D; kd++)
                    {
                        var od = id + g.PadBefore.D - kd * g.Dilation.D;
                        if ((uint)od >= (uint)g.Output.D) continue;
                        for (var kh = 0; kh < g.Kernel.H; kh++)
                        {
                            var oh = ih + g.PadBefore.H - kh * g.Dilation.H;
                            if ((uint)oh >= (uint)g.Output.H) continue;
                            var ds = dyPlane + (od * g.Output.H + oh) * oW + iw + pW;
                            var t = taps + (kd * g.Kernel.H + kh) * kW;
                            for (var kw = 0; kw < kW; kw++) acc = Vector256.FusedMultiplyAdd(Vector256.Create(t[kw]), Vector256.Load(ds - kw * dW), acc);
                        }
                    }
                    acc.Store(dxRow + iw);
                }
                BackwardDataEdge(g, dyPlane, dxRow, taps, id, ih, 0, a);
                BackwardDataEdge(g, dyPlane, dxRow, taps, id, ih, iw, W);
            }
    }

    // Outputs from..to−1 of one row, one at a time, with the vector path's chain.
    private static void ForwardEdge(in ConvGeometry g, float* xPlane, float* yRow, float* taps, float bias, int od, int oh, int from, int to)
    {
        var (W, kW, dW, pW) = (g.Input.W, g.Kernel.W, g.Dilation.W, g.PadBefore.W);
        for (var o = from; o < to; o++)
        {
            var sum = bias;
            for (var kd = 0; kd < g.Kernel.D; kd++)
            {
                var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
                if ((uint)id >= (uint)g.Input.D) continue;
                for (var kh = 0; kh < g.Kernel.H; kh++)
                {
                    var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
                    if ((uint)ih >= (uint)g.Input.H) continue;
                    var xRow = xPlane + (id * g.Input.H + ih) * W;
                    var t = taps + (kd * g.Kernel.H + kh) * kW;
                    for (var kw = 0; kw < kW; kw++)
                    {
                        var iw = o - pW + kw * dW;
                        if ((uint)iw < (uint)W) sum = MathF.FusedMultiplyAdd(t[kw], xRow[iw], sum);
                    }
                }
            }
            yRow[o] = sum;
        }
    }

    // Inputs from..to−1 of one row, one at a time, with the vector path's chain.
    private static void BackwardDataEdge(in ConvGeometry g, float* dyPlane, float* dxRow, float* taps, int id, int ih, int from, int to)
    {
        var (oW, kW, dW, pW) = (g.Output.W, g.Kernel.W, g.Dilation.W, g.PadBefore.W);
        for (var i = from; i < to; i++)
        {
            var sum = dxRow[i];
            for (var kd = 0; kd < g.Kernel.D; kd++)
            {
                var od = id + g.PadBefore.D - kd * g.Dilation.D;
                if ((uint)od >= (uint)g.Output.D) continue;
                for (var kh = 0; kh < g.Kernel.H; kh++)
                {
                    var oh = ih + g.PadBefore.H - kh * g.Dilation.H;
                    if ((uint)oh >= (uint)g.Output.H) continue;
                    var dyRow = dyPlane + (od * g.Output.H + oh) * oW;
                    var t = taps + (kd * g.Kernel.H + kh) * kW;
                    for (var kw = 0; kw < kW; kw++)
                    {
                        var ow = i + pW - kw * dW;
                        if ((uint)ow < (uint)oW) sum = MathF.FusedMultiplyAdd(t[kw], dyRow[ow], sum);
                    }
                }
            }
            dxRow[i] = sum;
        }
    }
}
