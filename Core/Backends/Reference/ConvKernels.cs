using System.Numerics;
using System.Runtime.CompilerServices;

namespace Functional.Backends.Reference;

// AggressiveOptimization: these are long loops called a few times per step, and tier-0 code would make the first
// (often the only) call several times slower than the formulas need to be.
/// <summary>
/// The convolution family as the formulas of the design notes, over N×C×D×H×W buffers (1-d and 2-d are 3-d with
/// unit leading dims). For output position o, kernel tap k and spatial dim: the input position read is
/// i = o·s − p + k·d. Forward, backward-data and backward-filter are the three contractions of that one
/// relation, each summing over the two indices it does not produce.
/// </summary>
public static class ConvKernels
{
    /// <summary>
    /// y[n,co,o] = b[co] + Σ_{ci ∈ group(co), k} x[n,ci,o·s−p+k·d] · w[co,ci,k]: the cross-correlation x ⋆ w.
    /// Positions outside the input read zeros (zero padding); <paramref name="bias"/> may be empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward<T>(in ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        Check(g, x.Length, w.Length, y.Length);
        var (inP, outP, kP) = (g.Input.Product, g.Output.Product, g.Kernel.Product);
        for (var n = 0; n < g.Batch; n++)
            for (var co = 0; co < g.OutChannels; co++)
            {
                var firstCi = co / g.OutPerGroup * g.InPerGroup;
                var b = bias.IsEmpty ? T.Zero : bias[co];
                var yPlane = y.Slice((n * g.OutChannels + co) * outP, outP);
                for (var od = 0; od < g.Output.D; od++)
                    for (var oh = 0; oh < g.Output.H; oh++)
                        for (var ow = 0; ow < g.Output.W; ow++)
                        {
                            var sum = b;
                            for (var ci = 0; ci < g.InPerGroup; ci++)
                            {
                                var xPlane = x.Slice((n * g.InChannels + firstCi + ci) * inP, inP);
                                var wTaps = w.Slice((co * g.InPerGroup + ci) * kP, kP);
                                sum += Window(g, xPlane, wTaps, od, oh, ow);
                            }
                            yPlane[(od * g.Output.H + oh) * g.Output.W + ow] = sum;
                        }
            }
    }

    /// <summary>
    /// dx = the full correlation of dy, dilated by the stride, with the flipped kernel:
    /// dx[n,ci,i] = Σ_{co ∈ group(ci), k'} dyₛ[n,co, i − (d(K−1)−p) + k'·d] · w[co,ci,K−1−k'],
    /// where dyₛ holds dy[o] at position o·s and zeros between (positions that are not a multiple of s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardData<T>(in ConvGeometry g, ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        Check(g, dx.Length, w.Length, dy.Length);
        var (inP, outP, kP) = (g.Input.Product, g.Output.Product, g.Kernel.Product);
        // The correlation is separable per dim, so each dim's (tap, dy element) pairs are listed once up front.
        var tapsD = FlippedTaps(g.Input.D, g.Kernel.D, g.Stride.D, g.Dilation.D, g.PadBefore.D, g.Output.D);
        var tapsH = FlippedTaps(g.Input.H, g.Kernel.H, g.Stride.H, g.Dilation.H, g.PadBefore.H, g.Output.H);
        var tapsW = FlippedTaps(g.Input.W, g.Kernel.W, g.Stride.W, g.Dilation.W, g.PadBefore.W, g.Output.W);
        for (var n = 0; n < g.Batch; n++)
            for (var ci = 0; ci < g.InChannels; ci++)
            {
                var group = ci / g.InPerGroup;
                var ciInGroup = ci % g.InPerGroup;
                var dxPlane = dx.Slice((n * g.InChannels + ci) * inP, inP);
                for (var id = 0; id < g.Input.D; id++)
                    for (var ih = 0; ih < g.Input.H; ih++)
                        for (var iw = 0; iw < g.Input.W; iw++)
                        {
                            var sum = T.Zero;
                            for (var j = 0; j < g.OutPerGroup; j++)
                            {
                                var co = group * g.OutPerGroup + j;
                                var dyPlane = dy.Slice((n * g.OutChannels + co) * outP, outP);
                                var wTaps = w.Slice((co * g.InPerGroup + ciInGroup) * kP, kP);
                                sum += FlippedWindow(g, dyPlane, wTaps, tapsD[id], tapsH[ih], tapsW[iw]);
                            }
                            dxPlane[(id * g.Input.H + ih) * g.Input.W + iw] = sum;
                        }
            }
    }

    /// <summary>
    /// dw = x ⋆ dy, the correlation of the input with the output gradient dilated by the stride:
    /// dw[co,ci,k] = Σ_{n,o} x[n,ci,o·s−p+k·d] · dy[n,co,o]; dbias[co] = Σ_{n,o} dy[n,co,o] when requested.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardFilter<T>(in ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dw, Span<T> dbias)
        where T : IFloatingPointIeee754<T>
    {
        Check(g, x.Length, dw.Length, dy.Length);
        var (inP, outP, kP) = (g.Input.Product, g.Output.Product, g.Kernel.Product);
        for (var co = 0; co < g.OutChannels; co++)
        {
            var firstCi = co / g.OutPerGroup * g.InPerGroup;
            for (var ci = 0; ci < g.InPerGroup; ci++)
            {
                var dwTaps = dw.Slice((co * g.InPerGroup + ci) * kP, kP);
                for (var kd = 0; kd < g.Kernel.D; kd++)
                    for (var kh = 0; kh < g.Kernel.H; kh++)
                        for (var kw = 0; kw < g.Kernel.W; kw++)
                        {
                            var sum = T.Zero;
                            for (var n = 0; n < g.Batch; n++)
                            {
                                var xPlane = x.Slice((n * g.InChannels + firstCi + ci) * inP, inP);
                                var dyPlane = dy.Slice((n * g.OutChannels + co) * outP, outP);
                                sum += TapCorrelation(g, xPlane, dyPlane, kd, kh, kw);
                            }
                            dwTaps[(kd * g.Kernel.H + kh) * g.Kernel.W + kw] = sum;
                        }
            }
            if (!dbias.IsEmpty)
            {
                var total = T.Zero;
                for (var n = 0; n < g.Batch; n++)
                    foreach (var v in dy.Slice((n * g.OutChannels + co) * outP, outP)) total += v;
                dbias[co] = total;
            }
        }
    }

    // Σ_k x[o·s − p + k·d] · w[k] for one output position of one channel pair.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T Window<T>(in ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> w, int od, int oh, int ow)
        where T : IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        for (var kd = 0; kd < g.Kernel.D; kd++)
        {
            var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
            if ((uint)id >= (uint)g.Input.D) continue;
            for (var kh = 0; kh < g.Kernel.H; kh++)
            {
                var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
                if ((uint)ih >= (uint)g.Input.H) continue;
                var xRow = x.Slice((id * g.Input.H + ih) * g.Input.W, g.Input.W);
                var wRow = w.Slice((kd * g.Kernel.H + kh) * g.Kernel.W, g.Kernel.W);
                var iw0 = ow * g.Stride.W - g.PadBefore.W;
                for (var kw = 0; kw < wRow.Length; kw++)
                {
                    var iw = iw0 + kw * g.Dilation.W;
                    if ((uint)iw < (uint)xRow.Length) sum += xRow[iw] * wRow[kw];
                }
            }
        }
        return sum;
    }

    // Σ over the listed taps of dy[o] · w[k]: the full correlation with the flipped kernel at one input position.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T FlippedWindow<T>(in ConvGeometry g, ReadOnlySpan<T> dy, ReadOnlySpan<T> w, Tap[] tapsD, Tap[] tapsH, Tap[] tapsW)
        where T : IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        foreach (var (kd, od) in tapsD)
            foreach (var (kh, oh) in tapsH)
            {
                var dyRow = dy.Slice((od * g.Output.H + oh) * g.Output.W, g.Output.W);
                var wRow = w.Slice((kd * g.Kernel.H + kh) * g.Kernel.W, g.Kernel.W);
                foreach (var (kw, ow) in tapsW) sum += dyRow[ow] * wRow[kw];
            }
        return sum;
    }

    // A tap of the full correlation along one dim: kernel index K−1−k' (the flipped kernel read back in w's own
    // order) and the dy element o found at position i − (d(K−1)−p) + k'·d of the stride-dilated dy.
    private readonly record struct Tap(int Kernel, int Output);

    // For each input position i along one dim, the taps k' whose position in the stride-dilated dy holds a real
    // dy element: a multiple t = o·s of the stride with 0 ≤ o < output. The other taps read dyₛ's zeros.
    private static Tap[][] FlippedTaps(int input, int kernel, int stride, int dilation, int padBefore, int output)
    {
        var fullPad = dilation * (kernel - 1) - padBefore;
        var taps = new Tap[input][];
        for (var i = 0; i < input; i++)
        {
            var list = new List<Tap>(kernel);
            for (var kFlipped = 0; kFlipped < kernel; kFlipped++)
            {
                var t = i - fullPad + kFlipped * dilation;
                if (t >= 0 && t % stride == 0 && t / stride < output) list.Add(new Tap(kernel - 1 - kFlipped, t / stride));
            }
            taps[i] = [.. list];
        }
        return taps;
    }

    // Σ_o x[o·s − p + k·d] · dy[o] for one kernel tap k of one channel pair.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T TapCorrelation<T>(in ConvGeometry g, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, int kd, int kh, int kw)
        where T : IFloatingPointIeee754<T>
    {
        var sum = T.Zero;
        for (var od = 0; od < g.Output.D; od++)
        {
            var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
            if ((uint)id >= (uint)g.Input.D) continue;
            for (var oh = 0; oh < g.Output.H; oh++)
            {
                var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
                if ((uint)ih >= (uint)g.Input.H) continue;
                var xRow = x.Slice((id * g.Input.H + ih) * g.Input.W, g.Input.W);
                var dyRow = dy.Slice((od * g.Output.H + oh) * g.Output.W, g.Output.W);
                var iw0 = kw * g.Dilation.W - g.PadBefore.W;
                for (var ow = 0; ow < dyRow.Length; ow++)
                {
                    var iw = iw0 + ow * g.Stride.W;
                    if ((uint)iw < (uint)xRow.Length) sum += xRow[iw] * dyRow[ow];
                }
            }
        }
        return sum;
    }

    private static void Check(in ConvGeometry g, int xLength, int wLength, int yLength)
    {
        if (g.Groups <= 0 || g.InChannels % g.Groups != 0 || g.OutChannels % g.Groups != 0)
            throw new ArgumentException($"Conv geometry: groups {g.Groups} must divide in-channels {g.InChannels} and out-channels {g.OutChannels}.");
        if (xLength != g.InputLength || wLength != g.WeightLength || yLength != g.OutputLength)
            throw new ArgumentException(
                $"Conv geometry expects x {g.InputLength}, w {g.WeightLength}, y {g.OutputLength} elements; got {xLength}, {wLength}, {yLength}.");
    }
}
