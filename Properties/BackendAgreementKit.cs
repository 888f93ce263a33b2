using Functional.Backends;
using Functional.Backends.Cpu;
using Functional.Backends.Reference;
using Functional.Random;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Properties;

/// <summary>Shared pieces of the backend agreement laws: the two backends, seeded data and the float32 tolerance.</summary>
internal static class BackendAgreementKit
{
    public static readonly IBackend Reference = new ReferenceBackend();

    /// <summary>Two threads, so the parallel paths run (the machine's core count does not matter to the results).</summary>
    public static readonly IBackend Cpu = ExecutionContext.Cpu(2).Backend;

    /// <summary>Values uniform in [−1, 1) from a seed.</summary>
    public static float[] Values(int n, long seed)
    {
        var key = Key.FromSeed(seed);
        var v = new float[n];
        for (var i = 0; i < n; i++) v[i] = key.Uniform(i) * 2f - 1f;
        return v;
    }

    /// <summary>
    /// Values that reach the edges of the vector functions: mostly uniform in [−s, s) with s drawn from 1, 10, 100,
    /// and about one in eight replaced by NaN, ±∞, ±0, ±1000, exp's overflow and underflow borders or a subnormal.
    /// </summary>
    public static float[] Extreme(int n, long seed)
    {
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1000f, -1000f, 88.72f, 88.73f,
            -87.5f, -103.9f, -105f, 1e-40f, -1e-40f, 1f, -1f];
        var key = Key.FromSeed(seed);
        var scale = new[] { 1f, 10f, 100f }[(int)(key.Uniform(-1) * 3) % 3];
        var v = new float[n];
        for (var i = 0; i < n; i++)
            v[i] = key.Uniform(2 * i) < 0.125f ? specials[(int)(key.Uniform(2 * i + 1) * specials.Length) % specials.Length]
                : (key.Uniform(2 * i + 1) * 2f - 1f) * scale;
        return v;
    }

    /// <summary>Values drawn from a few, so maxima tie: ±0, ±1, ±∞ and two NaNs with different payloads.</summary>
    public static float[] FewValues(int n, long seed)
    {
        float[] pool = [0f, -0f, 1f, -1f, float.PositiveInfinity, float.NegativeInfinity,
            BitConverter.Int32BitsToSingle(0x7FC00001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00002)), 0.5f, -0.5f];
        var key = Key.FromSeed(seed);
        // Per case, a mix of how often each kind appears: NaN-free cases and zero-dominated ones come up too.
        var kinds = 2 + (int)(key.Uniform(-1) * (pool.Length - 1));
        var v = new float[n];
        for (var i = 0; i < n; i++) v[i] = pool[(int)(key.Uniform(i) * kinds) % kinds];
        return v;
    }

    public static TensorStorage Store(float[] values) => Tensor.FromArray(Shape.Of(values.Length), values).Storage;

    public static float[] Read(TensorStorage s) => s.ToHost().ToArray();

    /// <summary>
    /// True when every element agrees to float32 accuracy for sums of up to <paramref name="terms"/> products of
    /// values in [−1, 1] (NaN only against NaN, an infinity only against itself); otherwise throws a <see cref="LawViolation"/> naming the first disagreement, so a failing case says where and by how much.
    /// </summary>
    public static bool Close(string what, float[] expected, float[] actual, int terms)
    {
        if (expected.Length != actual.Length) throw new LawViolation($"{what}: lengths {expected.Length} vs {actual.Length}");
        var tolerance = 2e-6f * Math.Max(terms, 1) + 1e-6f;
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = Math.Abs(expected[i] - actual[i]);
            // An infinity must be met by the same infinity (∞ − ∞ is NaN, which no comparison would reject).
            if (float.IsNaN(expected[i]) != float.IsNaN(actual[i]) || diff > tolerance * (1 + Math.Abs(expected[i]))
                || (float.IsInfinity(expected[i]) && expected[i] != actual[i]))
                throw new LawViolation($"{what}: element {i} reference {expected[i]} cpu {actual[i]} (tolerance {tolerance})");
        }
        return true;
    }

    /// <summary>
    /// Agreement within <paramref name="ulps"/> representable floats (±0 equal), NaN only against NaN and each
    /// infinity only against itself; throws a <see cref="LawViolation"/> naming the first disagreement.
    /// </summary>
    public static bool WithinUlps(string what, float[] expected, float[] actual, int ulps)
    {
        if (expected.Length != actual.Length) throw new LawViolation($"{what}: lengths {expected.Length} vs {actual.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            var ok = float.IsNaN(e) ? float.IsNaN(a) : !float.IsNaN(a) && Math.Abs(Ordered(e) - Ordered(a)) <= ulps;
            if (!ok)
                throw new LawViolation($"{what}: element {i} reference {e:R} cpu {a:R} (tolerance {ulps} ulp)");
        }
        return true;
    }

    // Floats in the order of their values as integers, so that adjacent floats differ by one (+0 and −0 are both 0).
    private static long Ordered(float v)
    {
        var bits = BitConverter.SingleToInt32Bits(v);
        return bits < 0 ? int.MinValue - (long)bits : bits;
    }

    /// <summary>Bit-for-bit equality (NaNs equal to NaNs); throws a <see cref="LawViolation"/> naming the first difference.</summary>
    public static bool Identical(string what, float[] a, float[] b)
    {
        for (var i = 0; i < a.Length; i++)
            if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i]))
                throw new LawViolation($"{what}: element {i} differs: {a[i]} vs {b[i]}");
        return a.Length == b.Length ? true : throw new LawViolation($"{what}: lengths {a.Length} vs {b.Length}");
    }
}
