using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The small-channel filter gradient for at most eight output channels (LeNet C1: six channels over 28×28 maps):
/// vectors run along the output row instead of over channels. A register tile holds six output channels × two
/// taps: per eight output positions it loads the two shifted input vectors and the six dy vectors once and does
/// twelve FMAs. Rows are padded to a multiple of 8 with zero dy, and the input is masked there too, so an infinite
/// input that the reference never multiplies cannot become NaN. Each sum is folded once per chunk of images.
/// </summary>
internal static unsafe class SmallConvFilterRows
{
    /// <summary>The most output channels this layout runs (two six-channel tiles).</summary>
    public const int MaxChannels = 8;

    private const int Mr = 6;

    /// <summary>
    /// Images n0 … n0+count−1 into part[tap × 16 + channel]; x planes are zero-bordered into rows
    /// <paramref name="cols"/> wide (at least the output rounded up to 8, plus the kernel's reach).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Chunk(in ConvGeometry g, float* x, float* dy, float* part, int* offs, int padded, int rows, int cols, int n0, int count)
    {
        var (oH, oW, plane) = (g.Output.H, g.Output.W, rows * cols);
        var dyCols = (oW + 7) / 8 * 8;
        var (dyPlane, tiles) = (oH * dyCols, (g.OutChannels + Mr - 1) / Mr);
        var (image, dyImage) = (g.InChannels * plane, tiles * Mr * dyPlane);
        var mask = Vector256.LessThan(Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7), Vector256.Create((float)(oW - (dyCols - 8))));
        var buffer = Scratch.Rent(count * (image + dyImage));
        try
        {
            fixed (float* scratch = buffer)
            {
                new Span<float>(scratch, buffer.Length).Clear();
                var dyP = scratch + count * image;
                for (var i = 0; i < count; i++)
                {
                    SmallConvFilter.PlaceImage(g, scratch + i * image, rows, cols, x, n0 + i);
                    for (var co = 0; co < g.OutChannels; co++)
                        DepthwisePlanes.Place(dyP + i * dyImage + co * dyPlane, oH, dyCols,
                            dy + ((long)(n0 + i) * g.OutChannels + co) * g.Output.Product,
                            oH, oW, 0, 0);
                }
                for (var t = 0; t < tiles; t++)
                    for (var k = 0; k < padded; k += 2)
                        Pair(scratch, image, dyP + t * Mr * dyPlane, dyImage, dyPlane, dyCols, offs[k], offs[k + 1], oH, g.Stride.H * cols,
                            count, mask, part + k * SmallConvFilter.Nr + t * Mr);
            }
        }
        finally
        {
            Scratch.Return(buffer);
        }
    }

    // part[j] = Σ dy_j·x[· + o0], part[16 + j] = Σ dy_j·x[· + o1] over the chunk, for the six channels j of a tile.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pair(float* x, int image, float* dy, int dyImage, int dyPlane, int dyCols, int o0, int o1, int oH, int step,
        int count, Vector256<float> mask, float* part)
    {
        var zero = Vector256<float>.Zero;
        var (a0, a1, a2, a3, a4, a5) = (zero, zero, zero, zero, zero, zero);
        var (b0, b1, b2, b3, b4, b5) = (a0, a1, a2, a3, a4, a5);
        var last = dyCols - 8;
        for (var i = 0; i < count; i++)
            for (var r = 0; r < oH; r++)
            {
                var q = x + i * image + r * step;
                var d = dy + i * dyImage + r * dyCols;
                // Full vectors first, then the last one through the mask: the mask stays out of the loop's registers.
                for (var c = 0; ; c += 8)
                {
                    var keep = c < last;
                    var (x0, x1) = (Vector256.Load(q + o0 + c), Vector256.Load(q + o1 + c));
                    if (!keep) (x0, x1) = (x0 & mask, x1 & mask);
                    var v = Vector256.Load(d + c);
                    (a0, b0) = (Vector256.FusedMultiplyAdd(v, x0, a0), Vector256.FusedMultiplyAdd(v, x1, b0));
                    v = Vector256.Load(d + dyPlane + c);
                    (a1, b1) = (Vector256.FusedMultiplyAdd(v, x0, a1), Vector256.FusedMultiplyAdd(v, x1, b1));
                    v = Vector256.Load(d + 2 * dyPlane + c);
                    (a2, b2) = (Vector256.FusedMultiplyAdd(v, x0, a2), Vector256.FusedMultiplyAdd(v, x1, b2));
                    v = Vector256.Load(d + 3 * dyPlane + c);
                    (a3, b3) = (Vector256.FusedMultiplyAdd(v, x0, a3), Vector256.FusedMultiplyAdd(v, x1, b3));
                    v = Vector256.Load(d + 4 * dyPlane + c);
                    (a4, b4) = (Vector256.FusedMultiplyAdd(v, x0, a4), Vector256.FusedMultiplyAdd(v, x1, b4));
                    v = Vector256.Load(d + 5 * dyPlane + c);
                    (a5, b5) = (Vector256.FusedMultiplyAdd(v, x0, a5), Vector256.FusedMultiplyAdd(v, x1, b5));
                    if (!keep) break;
                }
            }
        var n = SmallConvFilter.Nr;
        (part[0], part[1], part[2]) = (Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2));
        (part[3], part[4], part[5]) = (Vector256.Sum(a3), Vector256.Sum(a4), Vector256.Sum(a5));
        (part[n], part[n + 1], part[n + 2]) = (Vector256.Sum(b0), Vector256.Sum(b1), Vector256.Sum(b2));
        (part[n + 3], part[n + 4], part[n + 5]) = (Vector256.Sum(b3), Vector256.Sum(b4), Vector256.Sum(b5));
    }
}
