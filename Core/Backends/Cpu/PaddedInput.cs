using System.Runtime.CompilerServices;

namespace Functional.Backends.Cpu;

/// <summary>
/// A zero-padded copy of a convolution's input, cut to exactly the extent its taps reach, and the two offset tables
/// that turn it into the column matrix: column j (image, output position) starts at colOff[j], row r (channel,
/// tap) adds rowOff[r]. The copy is k² times smaller than the column matrix it stands for.
/// </summary>
internal static unsafe class PaddedInput
{
    /// <summary>The fused path needs non-negative padding, a non-empty output and int offsets.</summary>
    public static bool Applies(in ConvGeometry g) =>
        g.PadBefore.D >= 0 && g.PadBefore.H >= 0 && g.PadBefore.W >= 0 && g.Output.Product > 0
        && (long)g.Batch * g.InChannels * Extent(g).Product < int.MaxValue;

    /// <summary>Per dim: (output − 1)·stride + (kernel − 1)·dilation + 1, the span of padded positions the taps read.</summary>
    public static Dims3 Extent(in ConvGeometry g) => new(
        (g.Output.D - 1) * g.Stride.D + (g.Kernel.D - 1) * g.Dilation.D + 1,
        (g.Output.H - 1) * g.Stride.H + (g.Kernel.H - 1) * g.Dilation.H + 1,
        (g.Output.W - 1) * g.Stride.W + (g.Kernel.W - 1) * g.Dilation.W + 1);

    /// <summary>
    /// Copies <paramref name="images"/> images × <paramref name="channels"/> planes (images g.InChannels planes apart)
    /// from x into dst, laid out [image][channel][padded plane], zero wherever the padded position is outside the input.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(in ConvGeometry g, float* x, int images, int channels, float* dst)
    {
        var (e, inP, pb, input) = (Extent(g), g.Input.Product, g.PadBefore, g.Input);
        // Along W the input covers padded positions [pb.W, pb.W + W) clipped to the extent.
        var lo = Math.Min(pb.W, e.W);
        var hi = Math.Min(pb.W + input.W, e.W);
        for (var i = 0; i < images; i++)
            for (var c = 0; c < channels; c++)
            {
                var plane = x + ((long)i * g.InChannels + c) * inP;
                var outPlane = dst + ((long)i * channels + c) * e.Product;
                for (var pd = 0; pd < e.D; pd++)
                    for (var ph = 0; ph < e.H; ph++)
                    {
                        var (id, ih) = (pd - pb.D, ph - pb.H);
                        var row = outPlane + (pd * e.H + ph) * e.W;
                        if ((uint)id >= (uint)input.D || (uint)ih >= (uint)input.H || lo >= hi)
                        {
                            new Span<float>(row, e.W).Clear();
                            continue;
                        }
                        new Span<float>(row, lo).Clear();
                        new Span<float>(plane + (id * input.H + ih) * input.W, hi - lo).CopyTo(new Span<float>(row + lo, hi - lo));
                        new Span<float>(row + hi, e.W - hi).Clear();
                    }
            }
    }

    /// <summary>colOff[j] for j = image·positions + flat output position, images <paramref name="channels"/> planes apart.</summary>
    public static void Columns(in ConvGeometry g, int images, int channels, int* colOff)
    {
        var (e, s, o) = (Extent(g), g.Stride, g.Output);
        var imageStride = channels * e.Product;
        var j = 0;
        for (var i = 0; i < images; i++)
            for (var od = 0; od < o.D; od++)
                for (var oh = 0; oh < o.H; oh++)
                {
                    var rowStart = i * imageStride + (od * s.D * e.H + oh * s.H) * e.W;
                    for (var ow = 0; ow < o.W; ow++) colOff[j++] = rowStart + ow * s.W;
                }
    }

    /// <summary>rowOff[r] for r = ((c·kD + kd)·kH + kh)·kW + kw over channels first..first+count−1 of the copy.</summary>
    public static void Rows(in ConvGeometry g, int first, int count, int* rowOff)
    {
        var (e, k, d) = (Extent(g), g.Kernel, g.Dilation);
        var r = 0;
        for (var c = first; c < first + count; c++)
            for (var kd = 0; kd < k.D; kd++)
                for (var kh = 0; kh < k.H; kh++)
                    for (var kw = 0; kw < k.W; kw++)
                        rowOff[r++] = c * e.Product + (kd * d.D * e.H + kh * d.H) * e.W + kw * d.W;
    }
}
