using Functional.Random;
using Xunit;

namespace Functional.Tests;

public class KeyTests
{
    // Fixed values: the same seed must give the same numbers for ever, so any change to the generator fails here.
    [Fact]
    public void Seed_42_gives_the_same_bits_for_ever()
    {
        var key = Key.FromSeed(42);
        Assert.Equal(0x974bea43bdf924a1UL, key.State);
        Assert.Equal(0x0feefee81e5ca5d9UL, key.Bits(0));
        Assert.Equal(0xbd78b40d964c40dcUL, key.Bits(1));
        Assert.Equal(0x21b101198c1143acUL, key.Split(0).State);
        Assert.Equal(0x6475299ade9edea0UL, key.Split(1).State);
        Assert.Equal(0.06224048137664795f, key.Uniform(0));
    }

    [Fact]
    public void Values_depend_only_on_key_and_counter_not_on_call_order()
    {
        var key = Key.FromSeed(3);
        var forward = Enumerable.Range(0, 100).Select(i => key.Bits(i)).ToArray();
        var backward = Enumerable.Range(0, 100).Reverse().Select(i => key.Bits(i)).Reverse().ToArray();
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void Split_keys_are_distinct_and_their_streams_do_not_overlap()
    {
        var key = Key.FromSeed(1);
        var children = Enumerable.Range(0, 64).Select(i => key.Split(i)).ToArray();
        Assert.Equal(64, children.Select(k => k.State).Append(key.State).Distinct().Count() - 1);
        var draws = children.SelectMany(k => Enumerable.Range(0, 256).Select(c => k.Bits(c)))
            .Concat(Enumerable.Range(0, 256).Select(c => key.Bits(c))).ToArray();
        Assert.Equal(draws.Length, draws.Distinct().Count());
    }

    [Fact]
    public void Split_children_are_uncorrelated()
    {
        var a = Key.FromSeed(5).Split(0);
        var b = Key.FromSeed(5).Split(1);
        const int n = 20000;
        double sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < n; i++)
        {
            double x = a.UniformDouble(i), y = b.UniformDouble(i);
            sa += x; sb += y; sab += x * y; saa += x * x; sbb += y * y;
        }
        var cov = sab / n - sa / n * (sb / n);
        var r = cov / Math.Sqrt((saa / n - sa / n * (sa / n)) * (sbb / n - sb / n * (sb / n)));
        Assert.InRange(r, -0.03, 0.03);   // 4 standard errors at n = 20000
    }

    [Fact]
    public void Below_stays_in_range_and_Permutation_is_a_seeded_permutation()
    {
        var key = Key.FromSeed(9);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.InRange(key.Below(i, 7), 0, 6));
        var p = key.Permutation(50);
        Assert.Equal(Enumerable.Range(0, 50), p.Order());
        Assert.Equal(p, Key.FromSeed(9).Permutation(50));
        Assert.NotEqual(p, Key.FromSeed(10).Permutation(50));
        Assert.Throws<ArgumentOutOfRangeException>(() => key.Below(0, 0));
    }
}
