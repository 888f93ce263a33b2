using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// A zero-padded copy of a convolution's input, cut to exactly the extent its taps reach, and the two offset tables
/// that turn it into the column matrix: column j (image, output position) starts at colOff[j], row r (channel,
/// tap) adds rowOff[r]. The copy is k² times smaller than the column matrix it stands for.
/// When a strided conv's taps span several columns, each padded row is split into its stride-along-W phases: padded
/// column w is stored in sub-row w mod s at w div s. Neighbouring outputs then read neighbouring floats for every
/// tap, so the panels are packed with vector loads rather than gathers. Otherwise the layout is the plain padded
/// plane: at unit stride, and where the split costs more than it saves (a one-column kernel, whose gathers are
/// cheap, or output rows shorter than a vector, which no vector load can cover).
/// </summary>
internal static unsafe class PaddedInput
{
    /// <summary>The fused path needs non-negative padding, a non-empty output and int offsets.</summary>
    public static bool Applies(in ConvGeometry g) =>
        g.PadBefore.D >= 0 && g.PadBefore.H >= 0 && g.PadBefore.W >= 0 && g.Output.Product > 0
        && (long)g.Batch * g.InChannels * PlaneLength(g) < int.MaxValue;

    /// <summary>Per dim: (output − 1)·stride + (kernel − 1)·dilation + 1, the span of padded positions the taps read.</summary>
    public static Dims3 Extent(in ConvGeometry g) => new(
        (g.Output.D - 1) * g.Stride.D + (g.Kernel.D - 1) * g.Dilation.D + 1,
        (g.Output.H - 1) * g.Stride.H + (g.Kernel.H - 1) * g.Dilation.H + 1,
        (g.Output.W - 1) * g.Stride.W + (g.Kernel.W - 1) * g.Dilation.W + 1);

    /// <summary>Phases a padded row is split into: the stride along W when that pays (see the class), else 1.</summary>
    private static int Phases(in ConvGeometry g) => g.Kernel.W > 1 && g.Output.W >= 8 ? g.Stride.W : 1;

    /// <summary>True when neighbouring outputs along W read neighbouring floats of the copy (unit stride, or split).</summary>
    public static bool Contiguous(in ConvGeometry g) => Phases(g) == g.Stride.W;

    /// <summary>Floats in one phase of a padded row: ⌈extent.W / phases⌉.</summary>
    private static int PhaseLength(in ConvGeometry g) => (Extent(g).W + Phases(g) - 1) / Phases(g);

    /// <summary>Floats between the starts of two padded rows: every phase of one.</summary>
    private static int RowLength(in ConvGeometry g) => PhaseLength(g) * Phases(g);

    /// <summary>Floats in one channel's padded copy.</summary>
    public static int PlaneLength(in ConvGeometry g)
    {
        var e = Extent(g);
        return (int)Math.Min(int.MaxValue, (long)e.D * e.H * RowLength(g));
    }

    /// <summary>
    /// Copies <paramref name="images"/> images × <paramref name="channels"/> planes (images g.InChannels planes apart)
    /// from x into dst, laid out [image][channel][padded plane], zero wherever the padded position is outside the input.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Copy(in ConvGeometry g, float* x, int images, int channels, float* dst)
    {
        var (e, inP, pb, input, plane, rowLength) = (Extent(g), g.Input.Product, g.PadBefore, g.Input, PlaneLength(g), RowLength(g));
        var phases = Phases(g);
        // A strided conv's row is padded in a scratch row first, then split into its phases.
        var scratch = phases == 1 ? null : ArrayPool<float>.Shared.Rent(e.W);
        try
        {
            fixed (float* split = scratch)
                for (var i = 0; i < images; i++)
                    for (var c = 0; c < channels; c++)
                    {
                        var src = x + ((long)i * g.InChannels + c) * inP;
                        var outPlane = dst + ((long)i * channels + c) * plane;
                        for (var pd = 0; pd < e.D; pd++)
                            for (var ph = 0; ph < e.H; ph++)
                            {
                                var (id, ih) = (pd - pb.D, ph - pb.H);
                                var row = outPlane + (long)(pd * e.H + ph) * rowLength;
                                var inside = (uint)id < (uint)input.D && (uint)ih < (uint)input.H;
                                var from = src + (id * input.H + ih) * input.W;
                                if (phases == 1) PadRow(from, inside, pb.W, input.W, e.W, row);
                                else
                                {
                                    PadRow(from, inside, pb.W, input.W, e.W, split);
                                    Deinterleave(split, e.W, phases, rowLength / phases, row);
                                }
                            }
                    }
        }
        finally
        {
            if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
        }
    }

    // Along W the input covers padded positions [padW, padW + width) clipped to the extent.
    private static void PadRow(float* from, bool inside, int padW, int width, int extent, float* row)
    {
        var (lo, hi) = (Math.Min(padW, extent), Math.Min(padW + width, extent));
        if (!inside || lo >= hi)
        {
            new Span<float>(row, extent).Clear();
            return;
        }
        new Span<float>(row, lo).Clear();
        new Span<float>(from, hi - lo).CopyTo(new Span<float>(row + lo, hi - lo));
        new Span<float>(row + hi, extent - hi).Clear();
    }

    // row[p·phase + q] = padded[q·phases + p]; the slots past a phase's last column are zeroed, never read.
    private static void Deinterleave(float* padded, int extent, int phases, int phase, float* row)
    {
        var w = 0;
        if (phases == 2 && Avx2.IsSupported)
            for (; w + 16 <= extent; w += 16)
            {
                var (a, b) = (Vector256.Load(padded + w), Vector256.Load(padded + w + 8));
                Avx2.Permute4x64(Avx.Shuffle(a, b, 0x88).AsDouble(), 0xD8).AsSingle().Store(row + w / 2);
                Avx2.Permute4x64(Avx.Shuffle(a, b, 0xDD).AsDouble(), 0xD8).AsSingle().Store(row + phase + w / 2);
            }
        for (; w < extent; w++) row[w % phases * phase + w / phases] = padded[w];
        for (var p = 0; p < phases; p++)
        {
            var filled = (extent - p + phases - 1) / phases;
            new Span<float>(row + p * phase + filled, phase - filled).Clear();
        }
    }

    /// <summary>colOff[j] for j = image·positions + flat output position, images <paramref name="channels"/> planes apart.</summary>
    public static void Columns(in ConvGeometry g, int images, int channels, int* colOff)
    {
        var (s, o, e, rowLength) = (g.Stride, g.Output, Extent(g), RowLength(g));
        var step = s.W / Phases(g);
        var imageStride = channels * PlaneLength(g);
        var j = 0;
        for (var i = 0; i < images; i++)
            for (var od = 0; od < o.D; od++)
                for (var oh = 0; oh < o.H; oh++)
                {
                    // In a split row output ow reads phase column ow plus its tap's offset: strided columns are neighbours.
                    var rowStart = i * imageStride + (od * s.D * e.H + oh * s.H) * rowLength;
                    for (var ow = 0; ow < o.W; ow++) colOff[j++] = rowStart + ow * step;
                }
    }

    /// <summary>rowOff[r] for r = ((c·kD + kd)·kH + kh)·kW + kw over channels first..first+count−1 of the copy.</summary>
    public static void Rows(in ConvGeometry g, int first, int count, int* rowOff)
    {
        var (e, k, d, plane, rowLength, phase, sw) = (Extent(g), g.Kernel, g.Dilation, PlaneLength(g), RowLength(g), PhaseLength(g), Phases(g));
        var r = 0;
        for (var c = first; c < first + count; c++)
            for (var kd = 0; kd < k.D; kd++)
                for (var kh = 0; kh < k.H; kh++)
                    for (var kw = 0; kw < k.W; kw++)
                    {
                        var t = kw * d.W;
                        rowOff[r++] = c * plane + (kd * d.D * e.H + kh * d.H) * rowLength + t % sw * phase + t / sw;
                    }
    }
}
