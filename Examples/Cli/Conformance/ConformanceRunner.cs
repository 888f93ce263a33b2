using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Conformance;

/// <summary>The outcome of a run: totals, and how many cases each op had.</summary>
internal sealed record ConformanceReport(int Passed, int Failed, IReadOnlyDictionary<string, int> CasesPerOp);

/// <summary>
/// Checks every case of some files against the implementation: forward vs y, then (when gy is given) backward vs
/// each expected gradient, with tolerance |a − b| ≤ 1e-4·max(1, |b|). Writes one line per failing case; a case
/// that throws, or names an unknown op, fails rather than stopping the run.
/// </summary>
internal static class ConformanceRunner
{
    public const double Tolerance = 1e-4;

    /// <exception cref="ConformanceFormatException">A file is missing or malformed.</exception>
    public static ConformanceReport Run(ExecutionContext ctx, IEnumerable<string> files, TextWriter failures)
    {
        var cases = files.SelectMany(ConformanceReader.Read).ToList();
        int passed = 0, failed = 0;
        var perOp = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            perOp[c.Op] = perOp.GetValueOrDefault(c.Op) + 1;
            var problem = Check(ctx, c);
            if (problem is null) { passed++; continue; }
            failed++;
            failures.WriteLine($"FAIL {c.Label}: {problem}");
        }
        return new ConformanceReport(passed, failed, perOp);
    }

    /// <summary>Null when the case passes, otherwise what went wrong.</summary>
    public static string? Check(ExecutionContext ctx, ConformanceCase c)
    {
        if (!ConformanceOps.All.TryGetValue(c.Op, out var op))
            return $"unknown op '{c.Op}' (known: {string.Join(", ", ConformanceOps.All.Keys.Order())})";
        try
        {
            if (Compare("y", op.Forward(ctx, c), c.Y) is { } bad) return bad;
            if (c.Gy is null) return null;
            var grads = op.Backward(ctx, c, c.Gy);
            foreach (var (name, expected) in c.Grads)
            {
                if (!grads.TryGetValue(name, out var actual)) return $"grad {name}: the op computed no gradient for it";
                if (Compare($"grad {name}", actual, expected) is { } badGrad) return badGrad;
            }
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"threw {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>Null when shapes match and every element is within tolerance; otherwise the worst element.</summary>
    public static string? Compare(string what, Tensor actual, Tensor expected)
    {
        if (actual.Shape != expected.Shape) return $"{what} has shape {actual.Shape}, expected {expected.Shape}";
        var a = actual.Span;
        var b = expected.Span;
        int worst = -1; double worstRatio = 1;
        for (var i = 0; i < a.Length; i++)
        {
            // ratio > 1 means outside tolerance; NaN compares false, so it is caught explicitly.
            var ratio = Math.Abs((double)a[i] - b[i]) / (Tolerance * Math.Max(1, Math.Abs((double)b[i])));
            if (double.IsNaN(ratio) || ratio > worstRatio) { worst = i; worstRatio = double.IsNaN(ratio) ? double.PositiveInfinity : ratio; }
        }
        if (worst < 0) return null;
        var index = string.Join(",", Unflatten(worst, expected.Shape));
        return $"{what} differs at [{index}]: {a[worst]:G9} vs expected {b[worst]:G9} (|Δ| = {Math.Abs(a[worst] - b[worst]):E2}, {worstRatio:F1}× the tolerance)";
    }

    private static int[] Unflatten(int flat, Shape shape)
    {
        var index = new int[shape.Rank];
        for (var d = shape.Rank - 1; d >= 0; d--) { index[d] = flat % shape[d]; flat /= shape[d]; }
        return index;
    }
}
