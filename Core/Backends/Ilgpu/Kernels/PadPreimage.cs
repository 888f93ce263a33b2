namespace Functional.Backends.Ilgpu;

/// <summary>
/// Along one dim, the padded positions o in [0, output) whose source is input position j, in ascending order: the
/// positions Lo ≤ o &lt; Hi with o ≡ First or o ≡ Second (mod Period). Each mode's preimage has that form: zeros and
/// interior positions one o; replicate's edges a run; circular one progression of period n; reflect two of period
/// 2(n − 1), mirrored about the edges. Enumerated as m = 0 … Count − 1 through <see cref="At"/>, with
/// <see cref="Contains"/> rejecting the candidates a progression puts outside [Lo, Hi).
/// </summary>
internal readonly struct PadPreimage
{
    private readonly int lo, hi, first, second, period, width, start;

    private PadPreimage(int lo, int hi, int first, int second, int period)
    {
        (this.lo, this.hi) = (lo, hi);
        (this.first, this.second, this.period) = (first, second, period);
        width = first == second ? 1 : 2;
        start = lo / period * period;
    }

    /// <summary>Candidates to visit (some may fall outside [Lo, Hi)).</summary>
    public int Count => hi <= start ? 0 : (hi - start + period - 1) / period * width;

    /// <summary>Candidate <paramref name="m"/>; ascending in m.</summary>
    public int At(int m) => start + m / width * period + (m % width == 0 ? first : second);

    /// <summary>Whether candidate position <paramref name="o"/> is a real padded position.</summary>
    public bool Contains(int o) => o >= lo && o < hi;

    /// <summary>The preimage of input position <paramref name="j"/> of <paramref name="n"/>, padded by <paramref name="before"/> to <paramref name="output"/>.</summary>
    public static PadPreimage Of(int j, int n, int before, int output, int mode)
    {
        var own = j + before;
        if (mode == (int)PaddingMode.Circular)
            return Clip(0, output, Mod(own, n), Mod(own, n), n);
        if (mode == (int)PaddingMode.Reflect)
        {
            if (n == 1) return Clip(0, output, 0, 0, 1);
            var p = 2 * (n - 1);
            int a = Mod(before + j, p), b = Mod(before - j, p);
            return Clip(0, output, a < b ? a : b, a < b ? b : a, p);
        }
        if (mode == (int)PaddingMode.Replicate)
        {
            if (n == 1) return Clip(0, output, 0, 0, 1);
            if (j == 0) return Clip(0, before + 1, 0, 0, 1);
            if (j == n - 1) return Clip(own, output, 0, 0, 1);
        }
        return Clip(own, own + 1, 0, 0, 1);
    }

    private static PadPreimage Clip(int lo, int hi, int first, int second, int period) =>
        new(lo < 0 ? 0 : lo, hi, first, second, period);

    private static int Mod(int a, int n) => (a % n + n) % n;
}
