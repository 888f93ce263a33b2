using System.Runtime.CompilerServices;

namespace Functional.Backends.Cpu;

/// <summary>
/// The column matrix of one image and one channel group: row r = ((c·kD + kd)·kH + kh)·kW + kw, column p = the
/// flat output position, holding x[c, o·s − p + k·d] (zero outside the input). Then the convolution is
/// W[C_out × rows] · col[rows × positions], and <see cref="Scatter"/>, the adjoint, turns the column gradient
/// back into an input gradient.
/// </summary>
internal static unsafe class Im2Col
{
    /// <summary>
    /// Fills col (channels·kD·kH·kW rows of oD·oH·oW, row r starting at r·<paramref name="ld"/>) from
    /// <paramref name="channels"/> planes at x. A row stride above oD·oH·oW lets several images share one matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(in ConvGeometry g, float* x, int channels, float* col, int ld)
    {
        Walk(g, x, channels, col, ld, scatter: false);
    }

    /// <summary>dx += the adjoint of <see cref="Gather"/> applied to dcol; dx must be cleared by the caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scatter(in ConvGeometry g, float* dcol, int channels, float* dx, int ld)
    {
        Walk(g, dx, channels, dcol, ld, scatter: true);
    }

    // One walk serves both directions, so the gather and its adjoint cannot drift apart.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Walk(in ConvGeometry g, float* x, int channels, float* col, int ld, bool scatter)
    {
        var inP = g.Input.Product;
        var (oW, W) = (g.Output.W, g.Input.W);
        for (var c = 0; c < channels; c++)
        {
            var plane = x + (long)c * inP;
            for (var kd = 0; kd < g.Kernel.D; kd++)
                for (var kh = 0; kh < g.Kernel.H; kh++)
                    for (var kw = 0; kw < g.Kernel.W; kw++, col += ld)
                    {
                        var iw0 = kw * g.Dilation.W - g.PadBefore.W;
                        var (lo, hi) = ValidRange(iw0, g.Stride.W, W, oW);
                        for (var od = 0; od < g.Output.D; od++)
                        {
                            var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
                            for (var oh = 0; oh < g.Output.H; oh++)
                            {
                                var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
                                var dst = col + (od * g.Output.H + oh) * oW;
                                var inside = (uint)id < (uint)g.Input.D && (uint)ih < (uint)g.Input.H && lo < hi;
                                if (scatter)
                                {
                                    if (!inside) continue;
                                    var row = plane + (id * g.Input.H + ih) * W + iw0;
                                    if (g.Stride.W == 1) Simd.Add(row + lo, dst + lo, hi - lo);
                                    else for (var ow = lo; ow < hi; ow++) row[ow * g.Stride.W] += dst[ow];
                                    continue;
                                }
                                if (!inside) { new Span<float>(dst, oW).Clear(); continue; }
                                var src = plane + (id * g.Input.H + ih) * W + iw0;
                                new Span<float>(dst, lo).Clear();
                                if (g.Stride.W == 1) new Span<float>(src + lo, hi - lo).CopyTo(new Span<float>(dst + lo, hi - lo));
                                else for (var ow = lo; ow < hi; ow++) dst[ow] = src[ow * g.Stride.W];
                                new Span<float>(dst + hi, oW - hi).Clear();
                            }
                        }
                    }
        }
    }

    /// <summary>The outputs o in [lo, hi) whose input position first + o·stride lies in [0, input).</summary>
    public static (int Lo, int Hi) ValidRange(int first, int stride, int input, int outputs)
    {
        // In 64 bits: −first + stride − 1 wraps for a stride near int.MaxValue.
        var lo = first >= 0 ? 0 : (int)Math.Min(outputs, (-(long)first + stride - 1) / stride);
        var hi = first >= input ? 0 : (int)Math.Min(outputs, ((long)input - 1 - first) / stride + 1);
        return (lo, Math.Max(lo, hi));
    }
}
