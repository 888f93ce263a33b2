using Functional.Tests.Support;
using Xunit;

namespace Functional.Tests.Hardening;

/// <summary>A learning rate so large that the first epoch's evaluation overflows (found by the argument fuzz test):
/// one error line and exit 1, as for any divergence, not an unhandled exception; the empty run folder is removed.</summary>
public sealed class DivergenceTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_loss_that_overflows_in_the_evaluation_is_one_line_and_exit_1()
    {
        var runs = scratch.PathOf("runs");
        var (code, output, error) = InProcessCli.Run("train", "--data", Scratch.Fixture, "--out", runs, "--batch-size", "30",
            "--lr", "9223372036854775807", "--epochs", "1", "--limit", "30");
        Assert.Equal(1, code);
        Assert.DoesNotContain("test accuracy", output);
        Assert.DoesNotContain("   at ", error);
        var line = Assert.Single(error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("is not finite", line);
        Assert.Empty(Directory.GetFileSystemEntries(runs));
    }
}
