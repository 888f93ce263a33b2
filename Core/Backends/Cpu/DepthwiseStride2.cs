using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// The forward pass of depthwise convolutions at stride 2 along W (MobileNet's downsampling blocks) with the vector
/// chains of <see cref="DepthwisePlanes"/>: each input plane is copied into two zero-bordered scratch planes, one of
/// the even and one of the odd padded columns, so output column o of tap kw reads column o + ⌊kw·d/2⌋ of one phase
/// plane, eight neighbouring floats per vector, and stride H only steps the row pointer further. Each output value is
/// bias then every tap in (kh, kw) order, the border's zeros included, whichever thread computes it.
/// </summary>
internal static unsafe class DepthwiseStride2
{
    private const int MaxTaps = 64;

    /// <summary>Whether these kernels handle <paramref name="g"/>: stride 2 along W, any stride along H, no depth,
    /// at most 64 taps, and both phase planes within the scratch limit.</summary>
    public static bool Applies(in ConvGeometry g) =>
        Avx2.IsSupported && g.Input.D == 1 && g.Kernel.D == 1 && g.Output.D == 1 && g.PadBefore.D == 0
        && g.Stride.W == 2 && g.Kernel.Product <= MaxTaps && g.PadBefore.H >= 0 && g.PadBefore.W >= 0
        && 2L * Rows(g) * Cols(g) <= Scratch.MaxBorderedFloats;

    // Padded rows: every row a tap reads and every input row placed.
    private static long Rows(in ConvGeometry g) =>
        Math.Max((g.Output.H - 1L) * g.Stride.H + (g.Kernel.H - 1L) * g.Dilation.H + 1, (long)g.Input.H + g.PadBefore.H);

    // Columns of one phase plane: every column a vector reads (at least eight outputs) and every input column placed.
    private static long Cols(in ConvGeometry g) =>
        Math.Max(Math.Max(g.Output.W, 8L) + ((g.Kernel.W - 1L) * g.Dilation.W + 1) / 2, ((long)g.Input.W + g.PadBefore.W + 1) / 2);

    /// <summary>Output planes item·8 … item·8+7 (image-major, then channel), then the ReLU when <paramref name="relu"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(in ConvGeometry g, float* x, float* w, float* bias, float* y, int item, bool relu)
    {
        var (kH, kW, kP, m) = (g.Kernel.H, g.Kernel.W, g.Kernel.Product, g.OutPerGroup);
        var (rows, cols) = ((int)Rows(g), (int)Cols(g));
        var phase = rows * cols;
        var offs = stackalloc int[kP];
        for (var kh = 0; kh < kH; kh++)
            for (var kw = 0; kw < kW; kw++)
            {
                var c = kw * g.Dilation.W;
                offs[kh * kW + kw] = (c & 1) * phase + kh * g.Dilation.H * cols + (c >> 1);
            }
        var buffer = Scratch.Rent(2 * phase);
        try
        {
            fixed (float* src = buffer)
            {
                new Span<float>(src, 2 * phase).Clear();
                var (first, last) = (item * DepthwisePlanes.PlanesPerItem, Math.Min(g.Batch * g.OutChannels, (item + 1) * DepthwisePlanes.PlanesPerItem));
                for (var p = first; p < last; p++)
                {
                    var (n, co) = (p / g.OutChannels, p % g.OutChannels);
                    Place(src, phase, cols, x + (long)(n * g.InChannels + co / m) * g.Input.Product, g.Input.H, g.Input.W, g.PadBefore.H, g.PadBefore.W);
                    var yp = y + (long)p * g.Output.Product;
                    DepthwisePlanes.Correlate(src, g.Stride.H * cols, yp, g.Output.H, g.Output.W, offs, w + (long)co * kP, kP, bias == null ? 0f : bias[co]);
                    if (relu) CpuBackend.ReLUInPlace(yp, g.Output.Product);
                }
            }
        }
        finally
        {
            Scratch.Return(buffer);
        }
    }

    // Input column j lands at padded column j + c0: phase (j + c0) & 1, position (j + c0) >> 1. The even input
    // columns all go to one phase and the odd ones to the other, so a row splits with two shuffles per 16 floats.
    // Only the interior is written: the zero border survives from plane to plane.
    private static void Place(float* dst, int phase, int cols, float* src, int h, int w, int r0, int c0)
    {
        float* evens = dst + (c0 & 1) * phase + (c0 >> 1), odds = dst + ((c0 + 1) & 1) * phase + ((c0 + 1) >> 1);
        for (var i = 0; i < h; i++)
        {
            float* s = src + (long)i * w, e = evens + (long)(i + r0) * cols, o = odds + (long)(i + r0) * cols;
            var t = 0;
            for (; 2 * t + 16 <= w; t += 8)
            {
                var (a, b) = (Vector256.Load(s + 2 * t), Vector256.Load(s + 2 * t + 8));
                // Within each 128-bit lane: a0 a2 b0 b2 | a4 a6 b4 b6; the 64-bit permute puts them in order.
                var ev = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
                var od = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
                ev.Store(e + t);
                od.Store(o + t);
            }
            for (; 2 * t < w; t++)
            {
                e[t] = s[2 * t];
                if (2 * t + 1 < w) o[t] = s[2 * t + 1];
            }
        }
    }
}
