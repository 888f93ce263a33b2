using System.Diagnostics;
using System.Globalization;
using Functional.Random;
using Functional.Tests.Support;
using Xunit;

namespace Functional.Tests.Fuzz;

/// <summary>
/// What every fuzz case must satisfy, and the seeded mutations that make the cases. A case passes when it gives a
/// result, or a typed exception (library) or exit code 2 (CLI) with one line that starts with the file or flag; it
/// fails on any other exception, a multi-line error, a stack trace, or taking longer than <see cref="Limit"/>.
/// </summary>
internal sealed class FuzzKit(long seed)
{
    /// <summary>The longest one case may take.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary><c>FUNCTIONAL_SEED</c> when set (to replay a failure), else the fixed default.</summary>
    public static long Seed(long salt) =>
        (long.TryParse(Environment.GetEnvironmentVariable("FUNCTIONAL_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 20261207) * 1000 + salt;

    private readonly Key key = Key.FromSeed(seed);
    private long counter;

    public int Below(int bound) => key.Below(counter++, bound);

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>Integers at the edges of every width a parser might use.</summary>
    public static readonly string[] ExtremeIntegers =
        ["0", "-1", "1", "255", "256", "65536", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
         "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "99999999999999999999999"];

    /// <summary>Numbers and text a parser might mistake: locales, specials, other digit sets, encodings.</summary>
    public static readonly string[] OddValues =
        ["", " ", "0,003", "1,000", "1.5", "1e309", "-1e309", "NaN", "Infinity", "-0", "0x10", "1_000", "+7", "٣", "１２",
         "\u0000", "\uFFFD", "\uD800", "💥", "é", "--", "-", "true", "null", new string('9', 400), new string('x', 5000)];

    /// <summary>One corrupted copy of <paramref name="data"/>: truncation, byte flips, a header field replaced by an
    /// extreme integer, or invalid UTF-8, chosen by the seeded stream.</summary>
    public byte[] Corrupt(byte[] data, int headerLength)
    {
        var b = (byte[])data.Clone();
        switch (Below(6))
        {
            case 0: return b[..Below(b.Length)];                                          // truncation anywhere
            case 1: return b[..Math.Min(b.Length, Below(headerLength + 16))];             // truncation in the header
            case 2:                                                                      // flips in the header
                for (var i = 1 + Below(3); i > 0; i--) b[Below(Math.Min(headerLength, b.Length))] ^= (byte)(1 << Below(8));
                return b;
            case 3:                                                                      // a flip anywhere
                b[Below(b.Length)] ^= (byte)(1 << Below(8));
                return b;
            case 4:                                                                      // extreme integer in a field
            {
                var value = ulong.Parse(Pick(["0", "1", "2147483647", "2147483648", "4294967295", "9223372036854775807", "18446744073709551615"]), CultureInfo.InvariantCulture);
                var at = Below(Math.Max(1, Math.Min(headerLength, b.Length) - 8)) & ~3;
                var bytes = BitConverter.GetBytes(value);
                if (Below(2) == 0) Array.Reverse(bytes);
                bytes.AsSpan(0, Pick([4, 8])).CopyTo(b.AsSpan(at, Math.Min(8, b.Length - at)));
                return b;
            }
            default:                                                                     // invalid or odd UTF-8
            {
                var odd = Pick<byte[]>([[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xC3], [0x00], [0xEF, 0xBB, 0xBF], [0xF4, 0x90, 0x80, 0x80]]);
                var at = Below(Math.Min(headerLength, b.Length));
                odd.AsSpan(0, Math.Min(odd.Length, b.Length - at)).CopyTo(b.AsSpan(at));
                return b;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> within <see cref="Limit"/>; returns the exception it threw, if any.</summary>
    public static Exception? Timed(string label, Action action)
    {
        var task = Task.Run(() =>
        {
            try { action(); return null; }
            catch (Exception e) { return e; }
        });
        Assert.True(task.Wait(Limit), $"{label}: took longer than {Limit.TotalSeconds} s");
        return task.Result;
    }

    /// <summary>A library call: it succeeded, or threw one of <paramref name="typed"/> with one line naming <paramref name="path"/>.</summary>
    public static void AssertTyped(string label, string path, Exception? e, params Type[] typed)
    {
        if (e is null) return;
        Assert.True(typed.Any(t => t.IsInstanceOfType(e)), $"{label}: unexpected {e.GetType().Name}: {e}");
        Assert.True(e.Message.StartsWith(path + ":", StringComparison.Ordinal), $"{label}: the message does not start with the file: {e.Message}");
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>Runs the CLI in-process; a result (exit 0, or 1 with a result and no error), or exit 2 (or 1 for a
    /// diverged training) with exactly one "error:" line on stderr, and never a stack trace.</summary>
    public static (int Code, string Out, string Err) AssertCli(string label, string[] args, string? mustName = null)
    {
        (int Code, string Out, string Err) result = (0, "", "");
        var e = Timed(label, () => result = InProcessCli.Run(args));
        Assert.True(e is null, $"{label}: the CLI threw {e}");
        var (code, output, error) = result;
        Assert.False(error.Contains("   at ", StringComparison.Ordinal) || error.Contains("Unhandled exception", StringComparison.Ordinal),
            $"{label}: a stack trace on stderr: {error}");
        var errors = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        switch (code)
        {
            case 0:
                Assert.True(errors.Count == 0, $"{label}: exit 0 with an error line: {error}");
                break;
            case 1 when errors.Count == 0:
                Assert.True(output.Contains("DIFFERENT", StringComparison.Ordinal), $"{label}: exit 1 without an error line or a result: {output} {error}");
                break;
            case 1 or 2:
                Assert.True(errors.Count == 1, $"{label}: exit {code} needs exactly one error line, got: {error}");
                if (code == 2 && mustName is not null) Assert.Contains(mustName, errors[0]);
                break;
            default:
                Assert.Fail($"{label}: exit code {code}; stderr: {error}");
                break;
        }
        return result;
    }

    /// <summary>Prints the count, seed and time, so a failure can be replayed with FUNCTIONAL_SEED.</summary>
    public static string Summary(string what, int cases, long seed, Stopwatch clock) =>
        string.Create(CultureInfo.InvariantCulture, $"fuzz {what}: {cases} cases, seed {seed} (FUNCTIONAL_SEED replays), {clock.Elapsed.TotalSeconds:F1} s");

    /// <summary>Text for messages: the first bytes of a case, escaped.</summary>
    public static string Show(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
