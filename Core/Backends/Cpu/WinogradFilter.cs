using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The filter gradient of a conv that <see cref="Winograd"/> runs, in the same transform domain:
/// dW = Gᵀ[Σ over tiles (A dY Aᵀ) ⊙ (Bᵀ x B)]G, so each of the 36 points is a product over the tiles of the output
/// gradient's channels with the input's (<see cref="WinogradKernel.Accumulate"/>). Tiles go in groups sized for the
/// cache: the group's tiles are transformed in parallel, then the points are summed in parallel, each point's sums
/// continuing in tile order. Groups are cut by the geometry alone, so the bits never depend on the thread count.
/// </summary>
internal static unsafe class WinogradFilter
{
    // Floats of transformed input and output gradient per group (8 MiB), shared by the threads.
    private const int GroupFloats = 1 << 21;
    private const int Points = WinogradTransforms.Points, Rows = WinogradKernel.Rows, Panel = WinogradKernel.Panel;

    /// <summary>
    /// dW (C_out × C_in × 3 × 3) of y = x ⋆ w for a geometry <see cref="Winograd.Applies"/> accepts. False, with dW
    /// partly written, when x or dy holds an infinity or NaN, which the caller then runs on a direct path.
    /// </summary>
    public static bool Run(WorkerPool pool, in ConvGeometry g, float* x, float* dy, float* dw)
    {
        var (kp, zp) = (Winograd.Round(g.InChannels, Panel), Winograd.Round(g.OutChannels, 8));
        // The thread count is fixed here so that the blocks, and with them the groups and the sums, are the geometry's.
        var blocks = Winograd.Blocks(g, kp, zp, threads: 2);
        var groups = Groups(g, blocks, GroupFloats / (Points * (kp + zp)));
        var most = groups.Max(r => r.Tiles);
        var sums = Scratch.Rent(Points * zp * kp + Scratch.AlignSlack);
        var (vPoint, zPoint) = (Winograd.PointStride(most, kp), Winograd.PointStride(most, zp));
        var v = Scratch.Rent(checked((int)(Points * vPoint) + Scratch.AlignSlack));
        var z = Scratch.Rent(checked((int)(Points * zPoint) + Scratch.AlignSlack));
        try
        {
            fixed (float* ps0 = sums, pv0 = v, pz0 = z)
            {
                // Rows of 16 floats on cache lines: no split loads in the sums.
                float* ps = Scratch.Align(ps0), pv = Scratch.Align(pv0), pz = Scratch.Align(pz0);
                new Span<float>(ps, Points * zp * kp).Clear();
                var (geo, ax, ady, avs, azs, ass) = (g, (nint)x, (nint)dy, (nint)pv, (nint)pz, (nint)ps);
                foreach (var group in groups)
                {
                    var finite = 1;
                    pool.For(group.Count, i =>
                    {
                        var (b, offset) = (blocks[group.First + i], group.Offsets[i]);
                        if (!Transform(geo, b, (float*)ax, (float*)ady, (float*)avs + (long)offset * kp, vPoint, kp,
                                (float*)azs + (long)offset * zp, zPoint, zp))
                            Volatile.Write(ref finite, 0);
                    });
                    if (finite == 0) return false;
                    var tiles = group.Tiles;
                    pool.For(Points, p =>
                    {
                        float* vp = (float*)avs + p * vPoint, zq = (float*)azs + p * zPoint, sp = (float*)ass + (long)p * zp * kp;
                        for (var ci = 0; ci < kp; ci += Panel)
                            for (var co = 0; co < zp; co += Rows)
                                WinogradKernel.Accumulate(Math.Min(Rows, zp - co), tiles, zq + co, zp, vp + ci, kp, sp + (long)co * kp + ci, kp);
                    });
                }
                var (adw, cin) = ((nint)dw, g.InChannels);
                pool.For(g.OutChannels, co =>
                {
                    for (var ci = 0; ci < cin; ci += 8)
                        WinogradAdjoints.Filter((float*)ass + (long)co * kp + ci, (long)zp * kp, (float*)adw + ((long)co * cin + ci) * 9, Math.Min(8, cin - ci));
                });
                return true;
            }
        }
        finally
        {
            Scratch.Return(sums);
            Scratch.Return(v);
            Scratch.Return(z);
        }
    }

    private sealed record Group(int First, int Count, int Tiles, int[] Offsets);

    // Consecutive blocks up to the group's tile budget (at least one block per group).
    private static List<Group> Groups(in ConvGeometry g, Winograd.TileBlock[] blocks, int budget)
    {
        var tw = Winograd.TilesW(g);
        var groups = new List<Group>();
        for (var first = 0; first < blocks.Length;)
        {
            var (count, tiles, offsets) = (0, 0, new List<int>());
            while (first + count < blocks.Length)
            {
                var b = blocks[first + count];
                var size = b.Tiles(tw);
                if (count > 0 && tiles + size > budget) break;
                offsets.Add(tiles);
                tiles += size;
                count++;
            }
            groups.Add(new Group(first, count, tiles, [.. offsets]));
            first += count;
        }
        return groups;
    }

    // One block's tiles: Bᵀ x B into v and A dY Aᵀ into z, tile t of the block at row t of each point's slice.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Transform(in ConvGeometry g, Winograd.TileBlock b, float* x, float* dy, float* v, long vPoint, int kp, float* z, long zPoint, int zp)
    {
        var tw = Winograd.TilesW(g);
        var (cx, cz, width, rowsIn) = (kp / 8, zp / 8, 4 * tw + 2, 4 * b.TyCount + 2);
        var (xRow, xPlane) = (8L * width, 8L * width * rowsIn);
        var (zRow, zPlane) = (8L * 4 * tw, 8L * 4 * tw * 4 * b.TyCount);
        var gy = g with { Input = g.Output, InChannels = g.OutChannels, PadBefore = new Dims3(0, 0, 0) };
        var input = Scratch.Rent(checked((int)(xPlane * cx * b.NCount) + Scratch.AlignSlack));
        var grad = Scratch.Rent(checked((int)(zPlane * cz * b.NCount) + Scratch.AlignSlack));
        var t = stackalloc Vector256<float>[36];
        try
        {
            fixed (float* pin0 = input, pg0 = grad)
            {
                float* pin = Scratch.Align(pin0), pg = Scratch.Align(pg0);
                if (!WinogradTiles.CopyBlock(g, x, b, cx, 4 * b.Ty0 - g.PadBefore.H, rowsIn, width, pin)
                    || !WinogradTiles.CopyBlock(gy, dy, b, cz, 4 * b.Ty0, 4 * b.TyCount, 4 * tw, pg))
                    return false;
                var tiles = b.Tiles(tw);
                for (var tile = 0; tile < tiles; tile++)
                {
                    var (img, ty, tx) = b.Locate(tile, tw);
                    var src = pin + img * cx * xPlane + 4 * ty * xRow + 32 * tx;
                    for (var c = 0; c < cx; c++)
                        WinogradTransforms.Input(src + c * xPlane, xRow, v + (long)tile * kp + 8 * c, vPoint, t);
                    var from = pg + img * cz * zPlane + 4 * ty * zRow + 32 * tx;
                    for (var c = 0; c < cz; c++)
                        WinogradAdjoints.Gradient(from + c * zPlane, zRow, z + (long)tile * zp + 8 * c, zPoint, t);
                }
                return true;
            }
        }
        finally
        {
            Scratch.Return(input);
            Scratch.Return(grad);
        }
    }
}
