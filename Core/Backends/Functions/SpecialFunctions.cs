namespace Functional.Backends;

/// <summary>
/// The error function in double precision, for GELU, written with nothing but arithmetic and <see cref="Math.Exp"/>
/// so that the Reference kernels (in float and in double) and the GPU kernels call the same code: .NET has no erf.
/// </summary>
public static class SpecialFunctions
{
    /// <summary>
    /// erf(x) to about 1e-15 relative: the Maclaurin series 2/√π·Σ (−1)ⁿx²ⁿ⁺¹/(n!(2n+1)) for |x| &lt; 3, where its
    /// largest term is e^(x²) ≈ 8·10³ times the sum at most, and 1 − erfc(x) from erfc's continued fraction
    /// e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))) beyond, where 60 levels converge past double precision.
    /// NaN gives NaN; ±∞ gives ±1.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        var ax = x < 0 ? -x : x;
        double r;
        if (ax < 3.0)
        {
            double x2 = ax * ax, term = ax, sum = ax;
            for (var n = 1; n < 100; n++)
            {
                term *= -x2 / n;
                var t = term / (2 * n + 1);
                sum += t;
                if ((t < 0 ? -t : t) < 1e-17 * sum) break;
            }
            r = sum * 1.1283791670955126;   // 2/√π
        }
        else if (ax > 7.0) r = 1.0;          // erfc(7) ≈ 4e-23, below double's resolution of 1
        else
        {
            var t = ax;
            for (var n = 60; n >= 1; n--) t = ax + n * 0.5 / t;
            r = 1.0 - Math.Exp(-ax * ax) / t * 0.5641895835477563;   // 1/√π
        }
        return x < 0 ? -r : r;
    }
}
