namespace Functional.Random;

/// <summary>
/// A counter-based, splittable random key (SplitMix64 finaliser over seed and counter). Value number i of a key
/// is a pure function of the key and i, so the same seed gives the same numbers on every machine, thread count
/// and .NET version. Use <see cref="Split"/> to derive independent keys (one per layer, per step, per batch)
/// instead of sharing one generator.
/// </summary>
public readonly record struct Key(ulong State)
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>The key for an integer seed.</summary>
    public static Key FromSeed(long seed) => new(Mix((ulong)seed ^ 0x5DEECE66DUL));

    /// <summary>An independent key derived from this one and <paramref name="index"/>; distinct indices give
    /// unrelated streams.</summary>
    public Key Split(long index) => new(Mix(State ^ Mix((ulong)index * Golden + 0xD1B54A32D192ED03UL)));

    /// <summary>The 64 random bits at position <paramref name="counter"/> of this key's stream.</summary>
    public ulong Bits(long counter) => Mix(State + ((ulong)counter + 1) * Golden);

    /// <summary>A float uniform in [0, 1) at position <paramref name="counter"/>, from the top 24 bits.</summary>
    public float Uniform(long counter) => (Bits(counter) >> 40) * (1.0f / (1 << 24));

    /// <summary>A double uniform in [0, 1) at position <paramref name="counter"/>, from the top 53 bits.</summary>
    public double UniformDouble(long counter) => (Bits(counter) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal value at position <paramref name="counter"/> (Box–Muller over two uniforms).</summary>
    public double Normal(long counter)
    {
        var u1 = 1.0 - UniformDouble(2 * counter);     // (0, 1], so the log is finite
        var u2 = UniformDouble(2 * counter + 1);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An integer uniform in [0, <paramref name="bound"/>) at position <paramref name="counter"/>
    /// (multiply-shift, unbiased to 2⁻³² for bounds below 2³¹).</summary>
    public int Below(long counter, int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        return (int)(((Bits(counter) >> 32) * (ulong)bound) >> 32);
    }

    /// <summary>A seeded permutation of 0..n−1 (Fisher–Yates driven by this key).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = Below(i, i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
