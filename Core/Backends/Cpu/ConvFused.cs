using System.Buffers;
using System.Runtime.CompilerServices;

namespace Functional.Backends.Cpu;

/// <summary>
/// Convolutions whose GEMM reads its B operand straight from a padded copy of the input (<see cref="Im2ColPanel"/>),
/// so the column matrix is never stored: forward y = W_g·col, the filter gradient dW_g = dy·colᵀ, and at unit
/// stride the input gradient as the forward conv of dy with the flipped, transposed filter.
/// </summary>
internal static unsafe class ConvFused
{
    /// <summary>y[block, group] = bias + W_g · col (then the ReLU when <paramref name="relu"/>), with col read in place
    /// and the bias and ReLU applied as the tiles are stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(WorkerPool pool, in ConvGeometry g, float* x, float* w, float* bias, float* y, int item, bool serial, bool relu,
        PackedA packed = default)
    {
        var (n0, count, grp, rows, positions) = ConvGemm.Item(g, item);
        var (m, cols, cin, e) = (g.OutPerGroup, count * positions, g.InPerGroup, PaddedInput.PlaneLength(g));
        var padded = Scratch.Rent(count * cin * e + (count == 1 ? 0 : m * cols));
        var offsets = ArrayPool<int>.Shared.Rent(cols + rows);
        try
        {
            fixed (float* pp = padded)
            fixed (int* po = offsets)
            {
                PaddedInput.Copy(g, ConvGemm.Input(g, x, n0, grp), count, cin, pp);
                PaddedInput.Columns(g, count, cin, po);
                PaddedInput.Rows(g, 0, cin, po + cols);
                var c = count == 1 ? ConvGemm.Output(g, y, n0, grp) : pp + (long)count * cin * e;
                var a = new Strided(w + (long)grp * m * rows, rows, 1);
                var panel = new Im2ColPanel(pp, po, po + cols);
                var start = bias == null ? null : bias + grp * m;
                var store = Epilogue.Start | (relu ? Epilogue.ReLU : Epilogue.None);
                if (serial) GemmDriver.Run(a, panel, c, cols, m, cols, rows, 1f, 1f, start, store, packed);
                else ParallelGemm.Run(pool, a, panel, c, cols, m, cols, rows, 1f, 1f, start, store, packed);
                if (count > 1) ConvGemm.Rows(g, c, y, n0, count, grp, m, toBlock: false);
            }
        }
        finally
        {
            Scratch.Return(padded);
            ArrayPool<int>.Shared.Return(offsets);
        }
    }

    /// <summary>
    /// The input gradient of a unit-stride conv is a unit-stride conv of dy: same dilation, padding
    /// (k−1)·d − p, the taps flipped and in/out channels swapped within each group. It needs p ≤ (k−1)·d, and pays
    /// only with enough input channels per group to fill the register tile's rows (its M); a pointwise conv
    /// multiplies dy directly instead.
    /// </summary>
    public static bool TransposeApplies(in ConvGeometry g) =>
        g.Stride == new Dims3(1, 1, 1) && g.InPerGroup >= MinChannels && !ConvGemm.IsPointwise(g)
        && Flipped(g).PadBefore is { D: >= 0, H: >= 0, W: >= 0 } && PaddedInput.Applies(Flipped(g));

    // Below two register tiles of rows the flipped GEMM wastes most of its tile; the scatter path is cheaper.
    private const int MinChannels = 2 * MicroKernel.MR;

    /// <summary>The geometry of the conv that maps dy to dx (see <see cref="TransposeApplies"/>).</summary>
    public static ConvGeometry Flipped(in ConvGeometry g) => g with
    {
        InChannels = g.OutChannels,
        OutChannels = g.InChannels,
        Input = g.Output,
        Output = g.Input,
        PadBefore = new Dims3(
            (g.Kernel.D - 1) * g.Dilation.D - g.PadBefore.D,
            (g.Kernel.H - 1) * g.Dilation.H - g.PadBefore.H,
            (g.Kernel.W - 1) * g.Dilation.W - g.PadBefore.W),
    };

    /// <summary>W'[g·cin + ci, co, t] = W[g·m + co, ci, T−1−t]: per group, channels swapped and the taps reversed.</summary>
    public static void FlipWeights(in ConvGeometry g, float* w, float* flipped)
    {
        var (m, cin, taps) = (g.OutPerGroup, g.InPerGroup, g.Kernel.Product);
        for (var grp = 0; grp < g.Groups; grp++)
            for (var co = 0; co < m; co++)
                for (var ci = 0; ci < cin; ci++)
                {
                    var src = w + ((long)(grp * m + co) * cin + ci) * taps;
                    var dst = flipped + ((long)(grp * cin + ci) * m + co) * taps;
                    for (var t = 0; t < taps; t++) dst[t] = src[taps - 1 - t];
                }
    }

    /// <summary>
    /// dW_g over images first..first+count−1 into dw (every group), as one GEMM per group with K = count × positions:
    /// A is dy's rows (side by side over the images), B is colᵀ read in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FilterChunk(WorkerPool pool, in ConvGeometry g, float* x, float* dy, float* dw, int first, int count, bool serial)
    {
        var (rows, positions, m, cin) = (g.InPerGroup * g.Kernel.Product, g.Output.Product, g.OutPerGroup, g.InPerGroup);
        var (cols, e) = (count * positions, PaddedInput.PlaneLength(g));
        var padded = Scratch.Rent(count * g.InChannels * e + (count == 1 ? 0 : m * cols));
        var offsets = ArrayPool<int>.Shared.Rent(cols + rows);
        try
        {
            fixed (float* pp = padded)
            fixed (int* po = offsets)
            {
                PaddedInput.Copy(g, x + (long)first * g.InChannels * g.Input.Product, count, g.InChannels, pp);
                PaddedInput.Columns(g, count, g.InChannels, po);
                for (var grp = 0; grp < g.Groups; grp++)
                {
                    PaddedInput.Rows(g, grp * cin, cin, po + cols);
                    var a = ConvGemm.Output(g, dy, first, grp);
                    if (count > 1)
                    {
                        a = pp + (long)count * g.InChannels * e;
                        ConvGemm.Rows(g, a, dy, first, count, grp, m, toBlock: true);
                    }
                    var (sa, panel) = (new Strided(a, cols, 1), new Im2ColTransposedPanel(pp, po, po + cols));
                    var c = dw + (long)grp * m * rows;
                    if (serial) GemmDriver.Run(sa, panel, c, rows, m, rows, cols, 1f, 0f);
                    else ParallelGemm.Run(pool, sa, panel, c, rows, m, rows, cols, 1f, 0f);
                }
            }
        }
        finally
        {
            Scratch.Return(padded);
            ArrayPool<int>.Shared.Return(offsets);
        }
    }
}
