using System.Numerics;

namespace Functional.Backends.Reference;

/// <summary>
/// Explicit padding of D×H×W planes and its adjoint. Every output position o maps, per dim, to the input
/// position j = o − before, folded back into the input by the padding mode (or to nothing, for zeros).
/// </summary>
public static class PadKernels
{
    /// <summary>y[o] = x[source(o)], or zero where a zero-padded position has no source.</summary>
    public static void Forward<T>(in PadGeometry g, PaddingMode mode, ReadOnlySpan<T> x, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        Check(g, x.Length, y.Length);
        var (inP, outP) = (g.Input.Product, g.Output.Product);
        for (var plane = 0; plane < g.Planes; plane++)
        {
            var xPlane = x.Slice(plane * inP, inP);
            var yPlane = y.Slice(plane * outP, outP);
            for (var o = 0; o < outP; o++)
                yPlane[o] = Source(g, mode, o) is var s and >= 0 ? xPlane[s] : T.Zero;
        }
    }

    /// <summary>dx[j] = Σ dy[o] over every o whose source is j: copies made by the padding send their gradient home.</summary>
    public static void Backward<T>(in PadGeometry g, PaddingMode mode, ReadOnlySpan<T> dy, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        Check(g, dx.Length, dy.Length);
        dx.Clear();
        var (inP, outP) = (g.Input.Product, g.Output.Product);
        for (var plane = 0; plane < g.Planes; plane++)
        {
            var dxPlane = dx.Slice(plane * inP, inP);
            var dyPlane = dy.Slice(plane * outP, outP);
            for (var o = 0; o < outP; o++)
                if (Source(g, mode, o) is var s and >= 0) dxPlane[s] += dyPlane[o];
        }
    }

    /// <summary>
    /// The in-plane input index that padded position <paramref name="flat"/> copies, or −1 for a zero. Reflect
    /// mirrors without repeating the edge, replicate clamps, circular wraps; the caller keeps padding within what
    /// each mode can fold (reflect needs p &lt; n).
    /// </summary>
    public static int Source(in PadGeometry g, PaddingMode mode, int flat)
    {
        var ow = flat % g.Output.W;
        var oh = flat / g.Output.W % g.Output.H;
        var od = flat / (g.Output.W * g.Output.H);
        var d = Fold(od - g.Before.D, g.Input.D, mode);
        var h = Fold(oh - g.Before.H, g.Input.H, mode);
        var w = Fold(ow - g.Before.W, g.Input.W, mode);
        return d < 0 || h < 0 || w < 0 ? -1 : (d * g.Input.H + h) * g.Input.W + w;
    }

    private static int Fold(int j, int n, PaddingMode mode)
    {
        if ((uint)j < (uint)n) return j;
        return mode switch
        {
            PaddingMode.Zeros => -1,
            PaddingMode.Replicate => Math.Clamp(j, 0, n - 1),
            PaddingMode.Circular => (j % n + n) % n,
            PaddingMode.Reflect => Reflect(j, n),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown padding mode."),
        };
    }

    // Mirror about the first and last element (period 2(n−1)); a single element reflects onto itself.
    private static int Reflect(int j, int n)
    {
        if (n == 1) return 0;
        var period = 2 * (n - 1);
        j = (j % period + period) % period;
        return j < n ? j : period - j;
    }

    private static void Check(in PadGeometry g, int xLength, int yLength)
    {
        if (xLength != g.Planes * g.Input.Product || yLength != g.Planes * g.Output.Product)
            throw new ArgumentException(
                $"Pad geometry expects x {g.Planes * g.Input.Product} and y {g.Planes * g.Output.Product} elements; got {xLength} and {yLength}.");
    }
}
