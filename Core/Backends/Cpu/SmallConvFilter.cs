using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The filter gradient of the convolutions <see cref="SmallConvRows"/> handles, without im2col: dw[co, k] =
/// Σ over images and output positions of dy[co, pos]·x[pos + offset(k)]. A register tile holds six taps × sixteen
/// output channels; each output position loads its sixteen dy values once (dy transposed to position-major) and
/// broadcasts the six inputs under the taps. The batch is cut into fixed chunks of eight images, each summed into
/// its own partial, and the partials are added in chunk order, so the result does not depend on the thread count.
/// Up to eight output channels, most of a sixteen-channel tile would be empty: <see cref="SmallConvFilterRows"/>
/// runs those chunks.
/// </summary>
internal static unsafe class SmallConvFilter
{
    private const int Mr = 6, ImagesPerChunk = 8;

    /// <summary>Output channels per block: a chunk's partial holds this many sums per tap.</summary>
    public const int Nr = 16;

    /// <summary>
    /// Whether a chunk's scratch stays small (a position-major copy of dy takes 16 floats per output position):
    /// maps up to 64×64; larger maps amortise im2col + GEMM anyway.
    /// </summary>
    public static bool Fits(in ConvGeometry g) => g.Output.Product <= 4096;

    /// <summary>dw = Σ dy·x per tap and output channel; the bias gradient is left to the caller.</summary>
    public static void BackwardFilter(WorkerPool pool, in ConvGeometry g, float* x, float* dy, float* dw)
    {
        var (kH, kW, dH, dW) = (g.Kernel.H, g.Kernel.W, g.Dilation.H, g.Dilation.W);
        var (rows, cols) = ((g.Output.H - 1) * g.Stride.H + (kH - 1) * dH + 1, (g.Output.W + 7) / 8 * 8 + (kW - 1) * dW);
        var taps = g.InChannels * kH * kW;
        var padded = (taps + Mr - 1) / Mr * Mr;
        var (chunks, blocks) = ((g.Batch + ImagesPerChunk - 1) / ImagesPerChunk, (g.OutChannels + Nr - 1) / Nr);
        var offsets = stackalloc int[padded];
        new Span<int>(offsets, padded).Clear();
        for (var k = 0; k < taps; k++)
            offsets[k] = k / (kH * kW) * rows * cols + k / kW % kH * dH * cols + k % kW * dW;
        var partial = Scratch.Rent(chunks * blocks * padded * Nr);
        var geo = g;
        fixed (float* part = partial)
        {
            var (ax, ady, ap, ao) = ((nint)x, (nint)dy, (nint)part, (nint)offsets);
            pool.For(chunks * blocks, item =>
                Chunk(geo, (float*)ax, (float*)ady, (float*)ap + (long)item * padded * Nr, (int*)ao, padded, rows, cols,
                    item / blocks, item % blocks));
            for (var co = 0; co < g.OutChannels; co++)
                for (var k = 0; k < taps; k++)
                {
                    var sum = 0f;
                    for (var c = 0; c < chunks; c++) sum += part[((long)(c * blocks + co / Nr) * padded + k) * Nr + co % Nr];
                    dw[(long)co * taps + k] = sum;
                }
        }
        Scratch.Return(partial);
    }

    // The images of one chunk against output channels block·16 … block·16+15, into part[padded taps × 16].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Chunk(in ConvGeometry g, float* x, float* dy, float* part, int* offs, int padded, int rows, int cols, int chunk, int block)
    {
        var (n0, positions, plane) = (chunk * ImagesPerChunk, g.Output.Product, rows * cols);
        var count = Math.Min(ImagesPerChunk, g.Batch - n0);
        var (c0, live) = (block * Nr, Math.Min(Nr, g.OutChannels - block * Nr));
        var image = g.InChannels * plane;
        if (g.OutChannels <= SmallConvFilterRows.MaxChannels)
        {
            SmallConvFilterRows.Chunk(g, x, dy, part, offs, padded, rows, cols, n0, count);
            return;
        }
        var buffer = Scratch.Rent(count * (image + positions * Nr));
        try
        {
            fixed (float* scratch = buffer)
            {
                new Span<float>(scratch, buffer.Length).Clear();
                var dyT = scratch + count * image;
                for (var i = 0; i < count; i++)
                {
                    SmallConvFilter.PlaceImage(g, scratch + i * image, rows, cols, x, n0 + i);
                    for (var c = 0; c < live; c++)
                    {
                        var src = dy + ((long)(n0 + i) * g.OutChannels + c0 + c) * positions;
                        var dst = dyT + i * positions * Nr + c;
                        for (var p = 0; p < positions; p++) dst[p * Nr] = src[p];
                    }
                }
                for (var k0 = 0; k0 < padded; k0 += Mr)
                    Tile(g, scratch, image, dyT, offs + k0, rows, cols, count, part + k0 * Nr);
            }
        }
        finally
        {
            Scratch.Return(buffer);
        }
    }

    // part[j·16 + 0..15] = Σ over the chunk's images and positions of x[pos + offs[j]] · dyT[pos, 0..15], j < 6.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(in ConvGeometry g, float* x, int image, float* dyT, int* offs, int rows, int cols, int count, float* part)
    {
        var (o0, o1, o2, o3, o4, o5) = ((nint)offs[0], (nint)offs[1], (nint)offs[2], (nint)offs[3], (nint)offs[4], (nint)offs[5]);
        var zero = Vector256<float>.Zero;
        var (a00, a01, a10, a11, a20, a21) = (zero, zero, zero, zero, zero, zero);
        var (a30, a31, a40, a41, a50, a51) = (a00, a01, a10, a11, a20, a21);
        var (oH, oW, step) = (g.Output.H, g.Output.W, g.Stride.H * cols);
        for (var i = 0; i < count; i++)
        {
            var d = dyT + i * oH * oW * Nr;
            for (var r = 0; r < oH; r++)
            {
                var q = x + i * image + r * step;
                for (var c = 0; c < oW; c++, q++, d += Nr)
                {
                    var (v0, v1) = (Vector256.Load(d), Vector256.Load(d + 8));
                    var b = Vector256.Create(q[o0]);
                    (a00, a01) = (Vector256.FusedMultiplyAdd(b, v0, a00), Vector256.FusedMultiplyAdd(b, v1, a01));
                    b = Vector256.Create(q[o1]);
                    (a10, a11) = (Vector256.FusedMultiplyAdd(b, v0, a10), Vector256.FusedMultiplyAdd(b, v1, a11));
                    b = Vector256.Create(q[o2]);
                    (a20, a21) = (Vector256.FusedMultiplyAdd(b, v0, a20), Vector256.FusedMultiplyAdd(b, v1, a21));
                    b = Vector256.Create(q[o3]);
                    (a30, a31) = (Vector256.FusedMultiplyAdd(b, v0, a30), Vector256.FusedMultiplyAdd(b, v1, a31));
                    b = Vector256.Create(q[o4]);
                    (a40, a41) = (Vector256.FusedMultiplyAdd(b, v0, a40), Vector256.FusedMultiplyAdd(b, v1, a41));
                    b = Vector256.Create(q[o5]);
                    (a50, a51) = (Vector256.FusedMultiplyAdd(b, v0, a50), Vector256.FusedMultiplyAdd(b, v1, a51));
                }
            }
        }
        a00.Store(part); a01.Store(part + 8); a10.Store(part + 16); a11.Store(part + 24);
        a20.Store(part + 32); a21.Store(part + 40); a30.Store(part + 48); a31.Store(part + 56);
        a40.Store(part + 64); a41.Store(part + 72); a50.Store(part + 80); a51.Store(part + 88);
    }

    // Image n's input planes into zero-bordered rows × cols scratch planes at dst, one after another.
    internal static void PlaceImage(in ConvGeometry g, float* dst, int rows, int cols, float* x, int n)
    {
        for (var ci = 0; ci < g.InChannels; ci++)
            DepthwisePlanes.Place(dst + ci * rows * cols, rows, cols, x + ((long)n * g.InChannels + ci) * g.Input.Product,
                g.Input.H, g.Input.W, g.PadBefore.H, g.PadBefore.W);
    }
}
