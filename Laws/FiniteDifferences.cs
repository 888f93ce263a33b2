
namespace Functional.Laws;

/// <summary>
/// Central finite differences in double precision, for checking analytic backward passes. Test a scalar
/// function f(x) = ⟨g(x), r⟩ with a fixed random r: its gradient is the backward of g applied to r.
/// </summary>
public static class FiniteDifferences
{
    /// <summary>∂f/∂xᵢ ≈ (f(x + εeᵢ) − f(x − εeᵢ)) / 2ε for every i; <paramref name="x"/> is restored afterwards.</summary>
    public static double[] Gradient(Func<double[], double> f, double[] x, double eps = 1e-6)
    {
        var g = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var xi = x[i];
            x[i] = xi + eps; var fp = f(x);
            x[i] = xi - eps; var fm = f(x);
            x[i] = xi;
            g[i] = (fp - fm) / (2 * eps);
        }
        return g;
    }

    /// <summary>⟨a, b⟩.</summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>
    /// Fails, naming <paramref name="what"/> and the worst index, unless every |analytic − numeric| ≤
    /// atol + rtol·|numeric|. In double with ε = 1e-6 the truncation error of smooth functions is ~1e-10, so
    /// the defaults leave room only for rounding.
    /// </summary>
    public static void AssertClose(string what, ReadOnlySpan<double> analytic, ReadOnlySpan<double> numeric, double rtol = 1e-5, double atol = 1e-7)
    {
        if (analytic.Length != numeric.Length)
            throw new LawViolation($"{what}: analytic gradient has {analytic.Length} entries, numeric {numeric.Length}.");
        for (var i = 0; i < analytic.Length; i++)
        {
            var err = Math.Abs(analytic[i] - numeric[i]);
            if (!(err <= atol + rtol * Math.Abs(numeric[i])))
                throw new LawViolation($"{what}: gradient entry {i} is {analytic[i]:R} analytically but {numeric[i]:R} by central differences (|Δ| = {err:E2}).");
        }
    }

    /// <summary>Seeded values in [−1, 1), optionally kept at least <paramref name="margin"/> away from 0 (ReLU kinks).</summary>
    public static double[] Random(int n, long seed, double margin = 0)
    {
        var key = Functional.Random.Key.FromSeed(seed);
        var a = new double[n];
        for (var i = 0; i < n; i++)
        {
            var u = key.UniformDouble(i) * 2 - 1;
            a[i] = margin > 0 && Math.Abs(u) < margin ? Math.CopySign(margin + Math.Abs(u), u) : u;
        }
        return a;
    }
}
