using Functional.Tests.Support;
using Xunit;

namespace Functional.Tests.Hardening;

/// <summary>Every numeric flag parses with the invariant culture and without group separators, and every bad flag is
/// one line on stderr with exit code 2, naming the flag.</summary>
public class NumberFlagTests
{
    [Theory]
    [InlineData("--lr '0,003': not a number", "train", "--lr", "0,003")]
    [InlineData("--clip '1,5': not a number", "train", "--clip", "1,5")]
    [InlineData("--epochs '1,000': not a whole number", "train", "--epochs", "1,000")]
    [InlineData("--batch-size '6.4': not a whole number", "train", "--batch-size", "6.4")]
    [InlineData("--epochs 99999999999: out of range", "train", "--epochs", "99999999999")]
    [InlineData("--batch '5,00': not a whole number", "evaluate", "--checkpoint", "x", "--batch", "5,00")]
    [InlineData("--index '1_0': not a whole number", "pictures", "edge", "--index", "1_0")]
    [InlineData("--filters '1,0': not a whole number", "shapes", "conv", "--input", "1x8x8", "--filters", "1,0", "--kernel", "3")]
    [InlineData("--groups '2,0': not a whole number", "shapes", "conv", "--input", "4x8x8", "--filters", "4", "--kernel", "3", "--groups", "2,0")]
    [InlineData("--seed '4,2': not a whole number", "variants", "--study", "skip", "--seed", "4,2")]
    [InlineData("--optimizer 'rmsprop': unknown; use adam, adamw or sgd.", "train", "--optimizer", "rmsprop")]
    [InlineData("--schedule 'linear': unknown; use one-cycle, cosine, step or constant.", "train", "--schedule", "linear")]
    [InlineData("--backend 'gpu': unknown; use cpu, reference, ilgpu, ilgpu:cuda, ilgpu:opencl or ilgpu:cpu.", "train", "--backend", "gpu")]
    public void A_bad_flag_is_one_line_naming_it_and_exit_2(string expected, params string[] args)
    {
        var (code, output, error) = InProcessCli.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void Decimals_with_a_point_and_exponents_still_parse()
    {
        // --epochs 0 stops the run right after parsing, so only the flags' parsing is exercised.
        foreach (var lr in new[] { "0.003", "3e-3", "3E-3", "-0.5" })
        {
            var (code, _, error) = InProcessCli.Run("train", "--lr", lr, "--epochs", "0");
            Assert.Equal(2, code);
            Assert.Equal("error: --epochs 0: train for at least one epoch.", error.Trim());
        }
    }
}
