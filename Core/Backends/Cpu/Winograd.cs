using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// Unit-stride 3×3 convolutions by Winograd's F(4×4, 3×3): per block of output tiles, the input tiles are transformed
/// (<see cref="WinogradTransforms.Input"/>), each of the 36 transform points is a product of the tiles' channels with
/// the transformed filter (<see cref="WinogradKernel"/>), and the tiles are transformed back with the bias and ReLU.
/// That is 36 multiply-adds per 4×4 outputs and channel pair instead of 144. The transforms round differently from a
/// direct sum, so the results agree with the other paths to float32 accuracy, not bit for bit; each tile's result
/// depends on its data alone, never on the blocking or the thread count.
/// </summary>
internal static unsafe class Winograd
{
    // Below 16 channels the transforms cost more than the products save; below 24 tiles the transformed filter
    // (four times the filter's size) costs more to make and read than the products save.
    private const int MinChannels = 16, MinTiles = 24;
    // Transformed filter held per call: 36·C_in·C_out floats at most (128 MiB).
    private const long MaxFilterFloats = 1L << 25;
    // Floats of transformed input per block (1 MiB): with the products beside it, near L2 (a quarter of this size or
    // four times it was slower on the ResNet layers).
    private const int BlockFloats = 1 << 18;
    private const int Points = WinogradTransforms.Points, Panel = WinogradKernel.Panel, Rows = WinogradKernel.Rows;

    /// <summary>Whether <see cref="Forward"/> runs <paramref name="g"/>: 2-d, 3×3, unit stride and dilation, one group,
    /// padding 0–2, at least 16 channels each way and 24 output tiles.</summary>
    public static bool Applies(in ConvGeometry g) =>
        Avx2.IsSupported && Fma.IsSupported && g.Groups == 1
        && g.Input.D == 1 && g.Kernel.D == 1 && g.Output.D == 1 && g.PadBefore.D == 0
        && g.Kernel.H == 3 && g.Kernel.W == 3 && g.Stride == new Dims3(1, 1, 1) && g.Dilation == new Dims3(1, 1, 1)
        && g.PadBefore.H is >= 0 and <= 2 && g.PadBefore.W is >= 0 and <= 2
        && g.InChannels >= MinChannels && g.OutChannels >= MinChannels
        && (long)g.Batch * TilesH(g) * TilesW(g) >= MinTiles
        && FilterFloats(g) <= MaxFilterFloats
        && 8L * (4L * TilesW(g) + 2) * (4L * TilesH(g) + 2) * Round(g.InChannels, 8) <= int.MaxValue;

    /// <summary>
    /// y = bias + x ⋆ w (then the ReLU when <paramref name="relu"/>). Filter (o, i) tap t is at
    /// <paramref name="w"/> + o·<paramref name="outStride"/> + i·<paramref name="inStride"/> + t, or + 8 − t when
    /// <paramref name="flip"/>, so the input gradient runs here on the forward filter without a copy. False, with y
    /// partly written, when the input or filter holds an infinity or NaN: the caller then runs a direct path, which
    /// keeps a non-finite value to the outputs whose window holds it, as PyTorch does.
    /// </summary>
    public static bool Forward(WorkerPool pool, in ConvGeometry g, float* x, float* w, int outStride, int inStride, bool flip,
        float* bias, float* y, bool relu, float* prepared = null)
    {
        var (kp, np) = (Round(g.InChannels, 8), Round(g.OutChannels, Panel));
        var filter = Scratch.Rent(prepared == null ? (int)FilterFloats(g) + Scratch.AlignSlack : 0);
        var shift = Scratch.Rent(np);
        try
        {
            fixed (float* pf0 = filter, pb = shift)
            {
                // U's 16-float panel rows and the tiles' vectors start on cache lines, so no load is split across two.
                var pf = Scratch.Align(pf0);
                for (var o = 0; o < np; o++) pb[o] = bias != null && o < g.OutChannels ? bias[o] : 0f;
                var pu = prepared == null ? pf : prepared;
                if (prepared == null && !TransformFilter(pool, g, w, outStride, inStride, flip, pu, kp, np)) return false;
                var blocks = Blocks(g, kp, np, pool.Threads);
                var (geo, ax, au, ab, ay) = (g, (nint)x, (nint)pu, (nint)pb, (nint)y);
                var finite = 1;
                pool.For(blocks.Length, i =>
                {
                    if (Volatile.Read(ref finite) == 1 && !Block(geo, blocks[i], (float*)ax, (float*)au, (float*)ab, (float*)ay, relu, kp, np))
                        Volatile.Write(ref finite, 0);
                });
                return finite == 1;
            }
        }
        finally
        {
            Scratch.Return(filter);
            Scratch.Return(shift);
        }
    }

    /// <summary>
    /// The transformed filter of the forward conv <paramref name="w"/> (C_out × C_in × 3 × 3), as <see cref="Forward"/>
    /// makes it on each call, to pass back as its <c>prepared</c> argument; null when a tap is infinite or NaN.
    /// </summary>
    public static AlignedBuffer? PrepareFilter(WorkerPool pool, in ConvGeometry g, float* w)
    {
        var (kp, np) = (Round(g.InChannels, 8), Round(g.OutChannels, Panel));
        var u = new AlignedBuffer((int)FilterFloats(g));
        return TransformFilter(pool, g, w, g.InChannels * 9, 9, flip: false, u.Start, kp, np) ? u : null;
    }

    // U[ξ][panel][i][16]: for each point, 16-channel panels of the output channels, input channels along K.
    private static bool TransformFilter(WorkerPool pool, in ConvGeometry g, float* w, int outStride, int inStride, bool flip, float* u, int kp, int np)
    {
        var finite = 1;
        var (cin, cout, pointStride) = (g.InChannels, g.OutChannels, (long)kp * np);
        var (aw, au) = ((nint)w, (nint)u);
        pool.For(np / 8, half =>
        {
            var (o0, panel, lane) = (8 * half, half / 2, 8 * (half % 2));
            var lanes = Math.Clamp(cout - o0, 0, 8);
            for (var i = 0; i < kp; i++)
            {
                var dst = (float*)au + ((long)panel * kp + i) * Panel + lane;
                if (i < cin && lanes > 0)
                {
                    if (!WinogradTransforms.Filter((float*)aw + (long)o0 * outStride + (long)i * inStride, outStride, lanes, flip, dst, pointStride))
                        Volatile.Write(ref finite, 0);
                    continue;
                }
                for (var p = 0; p < Points; p++) Vector256<float>.Zero.Store(dst + p * pointStride);
            }
        });
        return finite == 1;
    }

    /// <summary>Floats of the transformed filter U: 36 points × C_in (rounded to 8) × C_out (rounded to a panel).</summary>
    public static long FilterFloats(in ConvGeometry g) => (long)Points * Round(g.InChannels, 8) * Round(g.OutChannels, Panel);

    /// <summary>A block: whole images (<see cref="NCount"/> of them from <see cref="N0"/>) or tile rows
    /// <see cref="Ty0"/>.. of one image.</summary>
    internal readonly record struct TileBlock(int N0, int NCount, int Ty0, int TyCount)
    {
        /// <summary>Tiles in the block, for <paramref name="tw"/> tiles per row.</summary>
        public int Tiles(int tw) => NCount * TyCount * tw;

        /// <summary>Where the block's tile <paramref name="tile"/> lies: image within the block, tile row within it, tile column.</summary>
        public (int Img, int Ty, int Tx) Locate(int tile, int tw) => (tile / (TyCount * tw), tile / tw % TyCount, tile % tw);
    }

    internal static TileBlock[] Blocks(in ConvGeometry g, int kp, int np, int threads)
    {
        var (th, tw) = (TilesH(g), TilesW(g));
        var perImage = th * tw;
        var total = (long)g.Batch * perImage;
        // Big enough to amortise streaming U, small enough to stay in cache, and enough of them to keep every thread busy.
        var target = Math.Clamp(BlockFloats / (Points * Math.Max(kp, np)), Rows, 240);
        target = (int)Math.Min(target, Math.Max(4 * Rows, (total + 4 * threads - 1) / (4 * threads)));
        var list = new List<TileBlock>();
        if (perImage <= target)
        {
            var images = Whole(Math.Max(1, target / perImage), perImage);
            for (var n = 0; n < g.Batch; n += images) list.Add(new TileBlock(n, Math.Min(images, g.Batch - n), 0, th));
        }
        else
        {
            var rows = Whole(Math.Max(1, target / tw), tw);
            for (var n = 0; n < g.Batch; n++)
                for (var ty = 0; ty < th; ty += rows) list.Add(new TileBlock(n, 1, ty, Math.Min(rows, th - ty)));
        }
        return [.. list];
    }

    // Units of `size` tiles rounded down to a multiple that fills whole six-tile kernel rows, when there are that many.
    private static int Whole(int units, int size)
    {
        var multiple = Rows / Gcd(size, Rows);
        return units >= multiple ? units / multiple * multiple : units;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Block(in ConvGeometry g, TileBlock b, float* x, float* u, float* bias, float* y, bool relu, int kp, int np)
    {
        var (tw, cb, width, rowsIn) = (TilesW(g), kp / 8, 4 * TilesW(g) + 2, 4 * b.TyCount + 2);
        var tiles = b.Tiles(tw);
        var tpad = Round(tiles, Rows);
        var (rowFloats, planeFloats) = (8L * width, 8L * width * rowsIn);
        var input = Scratch.Rent(checked((int)(planeFloats * cb * b.NCount) + Scratch.AlignSlack));
        var (vPoint, mPoint) = (PointStride(tpad, kp), PointStride(tpad, np));
        var v = Scratch.Rent(checked((int)(Points * vPoint) + Scratch.AlignSlack));
        var m = Scratch.Rent(checked((int)(Points * mPoint) + Scratch.AlignSlack));
        var t = stackalloc Vector256<float>[36 + 24 + 16];
        var scratch = stackalloc float[128];
        try
        {
            fixed (float* pin0 = input, pv0 = v, pm0 = m)
            {
                float* pin = Scratch.Align(pin0), pv = Scratch.Align(pv0), pm = Scratch.Align(pm0);
                if (!WinogradTiles.CopyBlock(g, x, b, cb, 4 * b.Ty0 - g.PadBefore.H, rowsIn, width, pin)) return false;
                for (var tile = 0; tile < tiles; tile++)
                {
                    var (img, ty, tx) = b.Locate(tile, tw);
                    var src = pin + img * cb * planeFloats + 4 * ty * rowFloats + 32 * tx;
                    for (var c = 0; c < cb; c++)
                        WinogradTransforms.Input(src + c * planeFloats, rowFloats, pv + (long)tile * kp + 8 * c, vPoint, t);
                }
                for (var p = 0; p < Points; p++) new Span<float>(pv + p * vPoint + (long)tiles * kp, (tpad - tiles) * kp).Clear();
                var panels = np / Panel;
                for (var p = 0; p < Points; p++)
                    for (var panel = 0; panel < panels; panel++)
                    {
                        var up = u + ((long)p * panels + panel) * kp * Panel;
                        for (var t0 = 0; t0 < tpad; t0 += Rows)
                            WinogradKernel.Run(kp, pv + p * vPoint + (long)t0 * kp, kp, up, pm + p * mPoint + (long)t0 * np + panel * Panel, np);
                    }
                Vector256<float>* s = t + 36, tile16 = t + 60;
                for (var tile = 0; tile < tiles; tile++)
                {
                    var (img, ty, tx) = b.Locate(tile, tw);
                    for (var o = 0; o < g.OutChannels; o += 8)
                    {
                        WinogradTransforms.Output(pm + (long)tile * np + o, mPoint, s, tile16);
                        var shift = Vector256.Load(bias + o);
                        for (var q = 0; q < 16; q++)
                        {
                            var value = tile16[q] + shift;
                            tile16[q] = relu ? Vector256.ConditionalSelect(Vector256.LessThan(value, Vector256<float>.Zero), Vector256<float>.Zero, value) : value;
                        }
                        WinogradTiles.StoreOutput(g, tile16, y, b.N0 + img, o, b.Ty0 + ty, tx, scratch);
                    }
                }
                return true;
            }
        }
        finally
        {
            Scratch.Return(input);
            Scratch.Return(v);
            Scratch.Return(m);
        }
    }

    // Floats from one transform point's slice to the next: the slice plus one cache line, so that the 36 vectors one
    // tile reads or writes, a slice apart, fall in different L1 sets (slices of 66 tiles × 64 channels are 16.5 KiB,
    // which put all 36 in 8 of the 64 sets).
    internal static long PointStride(int tiles, int channels) => (long)tiles * channels + 16;

    internal static int TilesH(in ConvGeometry g) => (g.Output.H + 3) / 4;

    internal static int TilesW(in ConvGeometry g) => (g.Output.W + 3) / 4;

    internal static int Round(int v, int multiple) => (v + multiple - 1) / multiple * multiple;
}
