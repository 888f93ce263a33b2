using FsCheck;
using FsCheck.Fluent;
using Xunit.Sdk;

namespace Functional.Properties.Support;

/// <summary>
/// Every property runs from a fixed seed, so a run is reproducible on any machine. The environment variable
/// <c>FUNCTIONAL_SEED</c> overrides the base seed (to explore new cases, or to replay a failure); each law mixes
/// its own fixed salt into the base, so laws draw independent streams from one number. A failure names the seed
/// and the command that replays it, above FsCheck's shrunk counterexample.
/// </summary>
public static class Seeds
{
    /// <summary>The base seed used when <c>FUNCTIONAL_SEED</c> is unset.</summary>
    public const ulong Default = 20261201;

    /// <summary>The base seed of this run: <c>FUNCTIONAL_SEED</c> if set, else <see cref="Default"/>.</summary>
    public static ulong Base { get; } = Parse(Environment.GetEnvironmentVariable("FUNCTIONAL_SEED"));

    /// <summary>FsCheck's configuration for <paramref name="tests"/> cases of one law, seeded from the base seed and the salt.</summary>
    public static Config Config(int tests, ulong salt) =>
        FsCheck.Config.QuickThrowOnFailure.WithMaxTest(tests).WithMaxRejected(tests * 20).WithReplay(Mix(Base, salt), 1);

    /// <summary>Checks <paramref name="property"/> on <paramref name="tests"/> cases of <paramref name="cases"/>.</summary>
    /// <param name="law">The law's name, for the failure message.</param>
    /// <param name="salt">A number fixed per property, so that two properties never share a stream.</param>
    public static void Check<T>(string law, ulong salt, int tests, Arbitrary<T> cases, Func<T, bool> property) =>
        Run(law, salt, () => Prop.ForAll(cases, property).Check(Config(tests, salt)));

    /// <summary>As <see cref="Check{T}"/> for a property that asserts by throwing (its message then shows in the report).</summary>
    public static void Check<T>(string law, ulong salt, int tests, Arbitrary<T> cases, Action<T> property) =>
        Run(law, salt, () => Prop.ForAll(cases, property).Check(Config(tests, salt)));

    /// <summary>Runs a check built elsewhere (with <see cref="Config"/>), adding the seed and replay command to a failure.</summary>
    public static void Run(string law, ulong salt, Action check)
    {
        try { check(); }
        catch (Exception e) when (e is not XunitException)
        {
            throw new XunitException(
                $"Law {law} failed with FUNCTIONAL_SEED={Base} (salt {salt}). Replay: FUNCTIONAL_SEED={Base} dotnet test " +
                $"Properties/Functional.Properties.csproj --filter Law={law}{Environment.NewLine}{e.Message}");
        }
    }

    private static ulong Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Default;
        return ulong.TryParse(text.Trim(), out var seed)
            ? seed
            : throw new InvalidOperationException($"FUNCTIONAL_SEED must be an unsigned integer, not '{text}'.");
    }

    // SplitMix64's finaliser, so that neighbouring salts give unrelated FsCheck seeds.
    private static ulong Mix(ulong a, ulong b)
    {
        var z = a ^ (b * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
