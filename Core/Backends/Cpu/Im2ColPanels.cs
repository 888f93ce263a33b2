using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Functional.Backends.Cpu;

/// <summary>
/// The column matrix of a convolution, read in place from a zero-padded copy of the input: element (r, j) is
/// src[colOff[j] + rowOff[r]], because a column (image, output position) and a row (channel, tap) each contribute
/// an offset of their own. Packing reads the input directly, so the k²-fold column matrix is never written.
/// Where eight columns are eight neighbouring inputs (unit stride along W) a sliver row is one vector load.
/// </summary>
internal readonly unsafe struct Im2ColPanel(float* src, int* colOff, int* rowOff, int j0 = 0)
    : IPanelSource, IColumnSplit<Im2ColPanel>
{
    private const int NR = MicroKernel.NR;

    /// <inheritdoc />
    public Im2ColPanel Columns(int start) => new(src, colOff, rowOff, j0 + start);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int pc, int jc, int kc, int nc, float* dst)
    {
        var rows = rowOff + pc;
        for (var s = 0; s < nc; s += NR, dst += NR * kc)
        {
            var cols = Math.Min(NR, nc - s);
            var co = colOff + j0 + jc + s;
            if (cols == NR && Vector256.IsHardwareAccelerated)
            {
                if (co[7] - co[0] == 7 && co[15] - co[8] == 7)
                {
                    float* lo = src + co[0], hi = src + co[8];
                    for (var k = 0; k < kc; k++)
                    {
                        var o = rows[k];
                        Vector256.Load(lo + o).Store(dst + k * NR);
                        Vector256.Load(hi + o).Store(dst + k * NR + 8);
                    }
                    continue;
                }
                if (Avx2.IsSupported)
                {
                    var (ilo, ihi) = (Vector256.Load(co), Vector256.Load(co + 8));
                    for (var k = 0; k < kc; k++)
                    {
                        var p = src + rows[k];
                        Avx2.GatherVector256(p, ilo, 4).Store(dst + k * NR);
                        Avx2.GatherVector256(p, ihi, 4).Store(dst + k * NR + 8);
                    }
                    continue;
                }
            }
            for (var k = 0; k < kc; k++)
            {
                var p = src + rows[k];
                for (var j = 0; j < cols; j++) dst[k * NR + j] = p[co[j]];
                for (var j = cols; j < NR; j++) dst[k * NR + j] = 0f;
            }
        }
    }
}

/// <summary>
/// The transposed column matrix colᵀ (K = image positions, N = channel taps), the B of the filter gradient
/// dW = dy·colᵀ, read in place like <see cref="Im2ColPanel"/>. Eight positions along an output row are eight
/// neighbouring inputs, so eight taps × eight positions are eight vector loads and one register transpose.
/// </summary>
internal readonly unsafe struct Im2ColTransposedPanel(float* src, int* colOff, int* rowOff, int j0 = 0)
    : IPanelSource, IColumnSplit<Im2ColTransposedPanel>
{
    private const int NR = MicroKernel.NR;

    /// <inheritdoc />
    public Im2ColTransposedPanel Columns(int start) => new(src, colOff, rowOff, j0 + start);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pack(int pc, int jc, int kc, int nc, float* dst)
    {
        var pos = colOff + pc;
        for (var s = 0; s < nc; s += NR, dst += NR * kc)
        {
            var cols = Math.Min(NR, nc - s);
            var ro = rowOff + j0 + jc + s;
            var k = 0;
            if (cols == NR && Transpose8.Supported)
                for (; k + 8 <= kc; k += 8)
                {
                    var c0 = pos[k];
                    if (pos[k + 7] - c0 != 7) { Scalar(pos, ro, k, k + 8, cols, dst); continue; }
                    var p = src + c0;
                    for (var h = 0; h < NR; h += 8)
                        Transpose8.Rows(Vector256.Load(p + ro[h]), Vector256.Load(p + ro[h + 1]), Vector256.Load(p + ro[h + 2]),
                            Vector256.Load(p + ro[h + 3]), Vector256.Load(p + ro[h + 4]), Vector256.Load(p + ro[h + 5]),
                            Vector256.Load(p + ro[h + 6]), Vector256.Load(p + ro[h + 7]), dst + k * NR + h, NR);
                }
            Scalar(pos, ro, k, kc, cols, dst);
        }
    }

    private void Scalar(int* pos, int* ro, int from, int to, int cols, float* dst)
    {
        for (var k = from; k < to; k++)
        {
            var p = src + pos[k];
            for (var j = 0; j < cols; j++) dst[k * NR + j] = p[ro[j]];
            for (var j = cols; j < NR; j++) dst[k * NR + j] = 0f;
        }
    }
}
