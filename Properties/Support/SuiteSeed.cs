using FsCheck.Xunit;
using Functional.Laws;

[assembly: Functional.Properties.Support.SuiteSeed]

namespace Functional.Properties.Support;

/// <summary>
/// The suite's FsCheck settings, for every <c>[Property]</c> in this assembly: the kit's <see cref="Arbitraries"/>
/// (so a law simply takes a <c>ConvCase</c>, <c>PoolCase</c>, <c>TransposedCase</c>, <c>NetCase</c> or
/// <c>InvalidCase</c>) and a fixed start seed, so every run draws the same cases on any machine. The environment
/// variable <c>FUNCTIONAL_SEED</c> (an unsigned integer) picks another seed for the whole suite, to explore new
/// cases; a failure prints FsCheck's <c>(seed,gamma)</c> pair, which the same <c>FUNCTIONAL_SEED</c> reproduces, or
/// which <c>[Property(Replay = "(seed,gamma)")]</c> on the one law replays.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class SuiteSeedAttribute : PropertiesAttribute
{
    /// <summary>The seed used when <c>FUNCTIONAL_SEED</c> is unset.</summary>
    public const ulong Default = 20261201;

    /// <summary>Registers the Arbitraries and sets <see cref="PropertyAttribute.Replay"/> from the suite seed.</summary>
    public SuiteSeedAttribute()
    {
        Arbitrary = [typeof(Arbitraries)];
        Replay = ReplayOf(Seed);
    }

    /// <summary>This run's seed: <c>FUNCTIONAL_SEED</c> if set, else <see cref="Default"/>.</summary>
    public static ulong Seed { get; } = Parse(Environment.GetEnvironmentVariable("FUNCTIONAL_SEED"));

    /// <summary>FsCheck's replay pair for a seed. SplitMix64 needs an odd gamma; both halves are mixed so that
    /// neighbouring seeds give unrelated streams.</summary>
    public static string ReplayOf(ulong seed) => $"({Mix(seed)},{Mix(~seed) | 1})";

    private static ulong Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Default;
        return ulong.TryParse(text.Trim(), out var seed)
            ? seed
            : throw new InvalidOperationException($"FUNCTIONAL_SEED must be an unsigned integer, not '{text}'.");
    }

    // SplitMix64's finaliser.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
