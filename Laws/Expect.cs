namespace Functional.Laws;

/// <summary>
/// Assertions for properties: each returns true or throws a message that says what differs and where, so the
/// FsCheck report shows the broken law next to the (shrunk) counterexample.
/// </summary>
public static class Expect
{
    /// <summary>Element-wise |a − b| ≤ atol + rtol·|b|; tolerance 0 demands exact equality.</summary>
    public static bool Close(string what, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double rtol = 0, double atol = 0)
    {
        if (actual.Length != expected.Length)
            throw new LawViolation($"{what}: {actual.Length} values, expected {expected.Length}.");
        for (var i = 0; i < actual.Length; i++)
        {
            var err = Math.Abs(actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.Abs(expected[i])))
                throw new LawViolation($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (|Δ| = {err:E2}, {actual.Length} elements).");
        }
        return true;
    }

    /// <summary>Tensors of equal shape and values within the tolerance.</summary>
    public static bool Close(string what, Tensor actual, Tensor expected, double rtol = 0, double atol = 0)
    {
        if (actual.Shape != expected.Shape)
            throw new LawViolation($"{what}: shape {actual.Shape}, expected {expected.Shape}.");
        return Close(what, Sample.Values(actual), Sample.Values(expected), rtol, atol);
    }

    /// <summary>Two numbers within atol + rtol·max(|a|, |b|).</summary>
    public static bool Near(string what, double a, double b, double rtol, double atol = 0)
    {
        var err = Math.Abs(a - b);
        return err <= atol + rtol * Math.Max(Math.Abs(a), Math.Abs(b))
            ? true
            : throw new LawViolation($"{what}: {a:R} vs {b:R} (|Δ| = {err:E2}).");
    }

    /// <summary>Equality of anything with a readable failure.</summary>
    public static bool Equal<T>(string what, T actual, T expected) => EqualityComparer<T>.Default.Equals(actual, expected)
        ? true
        : throw new LawViolation($"{what}: got {actual}, expected {expected}.");
}
