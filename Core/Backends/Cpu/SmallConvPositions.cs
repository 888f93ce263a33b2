using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// The <see cref="SmallConvRows"/> correlation for many output channels over narrow rows (LeNet C3: sixteen
/// channels, rows of ten), where a tile of sixteen columns would be mostly empty: the register tile is six output
/// positions of a row × sixteen output channels instead, one input broadcast per position and tap against two
/// vectors of weights. A row that is not a multiple of six ends with a tile that overlaps the previous one and
/// recomputes the same values. Tiles land position-major in a small staging row and are transposed into the
/// channel planes.
/// </summary>
internal static unsafe class SmallConvPositions
{
    /// <summary>Output channels per tile: the packed weights hold this many per tap.</summary>
    public const int Nr = 16;

    private const int Mr = 6;

    /// <summary>One image: <paramref name="pad"/> holds its zero-bordered source planes, wp the weights [block][tap][16].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Image(in SmallConvRows.Problem p, float* pad, float* outImage, float* bias, float* wp, int* offs)
    {
        var outPlane = p.OutH * p.OutW;
        var width = Math.Max(p.OutW, Mr);
        var stage = stackalloc float[width * Nr];
        var init = stackalloc float[Nr];
        for (var c0 = 0; c0 < p.OutChannels; c0 += Nr)
        {
            var live = Math.Min(Nr, p.OutChannels - c0);
            for (var j = 0; j < Nr; j++) init[j] = bias != null && j < live ? bias[c0 + j] : 0f;
            var (b0, b1) = (Vector256.Load(init), Vector256.Load(init + 8));
            var w = wp + (long)c0 / Nr * p.Taps * Nr;
            for (var r = 0; r < p.OutH; r++)
            {
                var (lo, hi) = p.LiveRows(r);
                var (k0, taps) = (lo * p.TapsPerRow, (hi - lo) * p.TapsPerRow);
                var row = pad + r * p.StrideH * p.Cols;
                for (var at = 0; ; at += Mr)
                {
                    at = Math.Min(at, width - Mr);
                    Tile(row + at, w + k0 * Nr, offs + k0, taps, b0, b1, stage + at * Nr);
                    if (at == width - Mr) break;
                }
                var o = outImage + (long)c0 * outPlane + r * p.OutW;
                for (var j = 0; j < live; j++)
                    for (var c = 0; c < p.OutW; c++) o[j * outPlane + c] = stage[c * Nr + j];
            }
        }
    }

    // stage[i·16 + 0..15] = b + Σ_k s[offs[k] + i] · w[k·16 + 0..15] for the six positions i of a tile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(float* s, float* w, int* offs, int taps, Vector256<float> b0, Vector256<float> b1, float* stage)
    {
        var (a00, a01, a10, a11, a20, a21) = (b0, b1, b0, b1, b0, b1);
        var (a30, a31, a40, a41, a50, a51) = (b0, b1, b0, b1, b0, b1);
        for (var k = 0; k < taps; k++, w += Nr)
        {
            var q = s + offs[k];
            var (v0, v1) = (Vector256.Load(w), Vector256.Load(w + 8));
            var x = Vector256.Create(q[0]);
            (a00, a01) = (Vector256.FusedMultiplyAdd(x, v0, a00), Vector256.FusedMultiplyAdd(x, v1, a01));
            x = Vector256.Create(q[1]);
            (a10, a11) = (Vector256.FusedMultiplyAdd(x, v0, a10), Vector256.FusedMultiplyAdd(x, v1, a11));
            x = Vector256.Create(q[2]);
            (a20, a21) = (Vector256.FusedMultiplyAdd(x, v0, a20), Vector256.FusedMultiplyAdd(x, v1, a21));
            x = Vector256.Create(q[3]);
            (a30, a31) = (Vector256.FusedMultiplyAdd(x, v0, a30), Vector256.FusedMultiplyAdd(x, v1, a31));
            x = Vector256.Create(q[4]);
            (a40, a41) = (Vector256.FusedMultiplyAdd(x, v0, a40), Vector256.FusedMultiplyAdd(x, v1, a41));
            x = Vector256.Create(q[5]);
            (a50, a51) = (Vector256.FusedMultiplyAdd(x, v0, a50), Vector256.FusedMultiplyAdd(x, v1, a51));
        }
        a00.Store(stage); a01.Store(stage + 8); a10.Store(stage + 16); a11.Store(stage + 24);
        a20.Store(stage + 32); a21.Store(stage + 40); a30.Store(stage + 48); a31.Store(stage + 56);
        a40.Store(stage + 64); a41.Store(stage + 72); a50.Store(stage + 80); a51.Store(stage + 88);
    }
}
