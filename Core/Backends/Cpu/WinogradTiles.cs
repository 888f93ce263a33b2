using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// Moving tiles between NCHW tensors and the eight-channel vectors the Winograd transforms work on: input rows are
/// copied channel-interleaved (each position's eight channels contiguous, zeros for padding and missing channels),
/// and finished 4×4 output tiles are transposed back to eight channel planes. Both are copies, so they add no rounding.
/// </summary>
internal static unsafe class WinogradTiles
{
    /// <summary>
    /// Copies input rows <paramref name="h0"/>.. (<paramref name="rows"/> of them, rows outside the image as zeros)
    /// of channels 8·<paramref name="cb"/>..+8 of image <paramref name="n"/> into <paramref name="dst"/>, row r at
    /// dst + r·width·8, input column c at position c + padW; positions outside the image are zero. False when a
    /// copied value is infinite or NaN: the transforms would spread it over its whole tile, where a direct sum keeps
    /// it to the outputs whose window holds it, so the caller runs such an input on a direct path instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool CopyInput(in ConvGeometry g, float* x, int n, int cb, int h0, int rows, int width, float* dst)
    {
        var (h, w, padW, plane) = (g.Input.H, g.Input.W, g.PadBefore.W, (long)g.Input.H * g.Input.W);
        var c0 = 8 * cb;
        var lanes = Math.Clamp(g.InChannels - c0, 0, 8);
        var cols = Math.Clamp(width - padW, 0, w);
        var src0 = x + ((long)n * g.InChannels + c0) * plane;
        // v·0 is 0 for every finite v and NaN otherwise, so one NaN anywhere makes the sum NaN (a sum of finite rows
        // that overflows also trips it, and then the direct path runs: slower, never wrong).
        var probe = Vector256<float>.Zero;
        for (var r = 0; r < rows; r++, dst += 8L * width)
        {
            var row = h0 + r;
            if (row < 0 || row >= h)
            {
                new Span<float>(dst, 8 * width).Clear();
                continue;
            }
            new Span<float>(dst, 8 * padW).Clear();
            new Span<float>(dst + 8 * (padW + cols), 8 * (width - padW - cols)).Clear();
            var src = src0 + (long)row * w;
            var into = dst + 8 * padW;
            var c = 0;
            if (lanes == 8 && Transpose8.Supported)
                for (; c + 8 <= cols; c += 8)
                {
                    // The eight channel rows are probed in registers on their way through the transpose.
                    var s = src + c;
                    Vector256<float> r0 = Vector256.Load(s), r1 = Vector256.Load(s + plane), r2 = Vector256.Load(s + 2 * plane),
                        r3 = Vector256.Load(s + 3 * plane), r4 = Vector256.Load(s + 4 * plane), r5 = Vector256.Load(s + 5 * plane),
                        r6 = Vector256.Load(s + 6 * plane), r7 = Vector256.Load(s + 7 * plane);
                    probe = Vector256.FusedMultiplyAdd((r0 + r1) + (r2 + r3) + ((r4 + r5) + (r6 + r7)), Vector256<float>.Zero, probe);
                    Transpose8.Rows(r0, r1, r2, r3, r4, r5, r6, r7, into + 8 * c, 8);
                }
            for (; c < cols; c++)
            {
                var p = into + 8 * c;
                for (var l = 0; l < lanes; l++) p[l] = src[l * plane + c];
                for (var l = lanes; l < 8; l++) p[l] = 0f;
                probe = Vector256.FusedMultiplyAdd(Vector256.Load(p), Vector256<float>.Zero, probe);
            }
        }
        return Vector256.EqualsAll(probe, Vector256<float>.Zero);
    }

    /// <summary>
    /// <see cref="CopyInput"/> for every image of <paramref name="b"/> and each of its <paramref name="blocks"/>
    /// eight-channel blocks: image i's block c at <paramref name="dst"/> + (i·blocks + c)·rows·width·8. False when a
    /// copied value is infinite or NaN.
    /// </summary>
    public static bool CopyBlock(in ConvGeometry g, float* x, Winograd.TileBlock b, int blocks, int h0, int rows, int width, float* dst)
    {
        var plane = 8L * width * rows;
        var finite = true;
        for (var img = 0; img < b.NCount; img++)
            for (var c = 0; c < blocks; c++)
                finite &= CopyInput(g, x, b.N0 + img, c, h0, rows, width, dst + (img * blocks + c) * plane);
        return finite;
    }

    /// <summary>
    /// Writes the 4×4 tile <paramref name="t"/> (position 4i + j, lanes = output channels co0..co0+7) to
    /// y[n, co, 4·ty + i, 4·tx + j], skipping channels and positions past the output's edge.
    /// <paramref name="scratch"/> holds 128 floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void StoreOutput(in ConvGeometry g, Vector256<float>* t, float* y, int n, int co0, int ty, int tx, float* scratch)
    {
        var (ho, wo) = (g.Output.H, g.Output.W);
        var (y0, x0) = (4 * ty, 4 * tx);
        var lanes = Math.Min(8, g.OutChannels - co0);
        var (rows, cols) = (Math.Min(4, ho - y0), Math.Min(4, wo - x0));
        var plane = (long)ho * wo;
        var dst = y + ((long)n * g.OutChannels + co0) * plane + (long)y0 * wo + x0;
        if (Transpose8.Supported)
        {
            // scratch[8l + p]: channel l at positions p (rows 0–1), then scratch[64 + 8l + p] for rows 2–3.
            Transpose8.Rows(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], scratch, 8);
            Transpose8.Rows(t[8], t[9], t[10], t[11], t[12], t[13], t[14], t[15], scratch + 64, 8);
            if (rows == 4 && cols == 4)
            {
                for (var l = 0; l < lanes; l++, dst += plane)
                {
                    var s = scratch + 8 * l;
                    Vector128.Load(s).Store(dst);
                    Vector128.Load(s + 4).Store(dst + wo);
                    Vector128.Load(s + 64).Store(dst + 2 * wo);
                    Vector128.Load(s + 68).Store(dst + 3 * wo);
                }
                return;
            }
            for (var l = 0; l < lanes; l++, dst += plane)
                for (var i = 0; i < rows; i++)
                    for (var j = 0; j < cols; j++) dst[(long)i * wo + j] = scratch[64 * (i >> 1) + 8 * l + 4 * (i & 1) + j];
            return;
        }
        for (var l = 0; l < lanes; l++, dst += plane)
            for (var i = 0; i < rows; i++)
                for (var j = 0; j < cols; j++) dst[(long)i * wo + j] = t[4 * i + j].GetElement(l);
    }
}
