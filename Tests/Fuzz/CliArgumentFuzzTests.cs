using System.Diagnostics;
using Functional.Cli.Checkpoints;
using Functional.Data;
using Functional.Tests.Hardening;
using Xunit;
using Xunit.Abstractions;

namespace Functional.Tests.Fuzz;

/// <summary>Argument lists mutated from valid ones (values replaced by extreme integers, locale-formatted or odd
/// text, arguments dropped, repeated, swapped or invented) give a result or exit 2 with one line.</summary>
public sealed class CliArgumentFuzzTests(ITestOutputHelper log) : IDisposable
{
    private const int Cases = 500;
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Mutated_command_lines_give_a_result_or_one_line()
    {
        var clock = Stopwatch.StartNew();
        var seed = FuzzKit.Seed(3);
        var fuzz = new FuzzKit(seed);
        var model = Functional.Dsl.Zoo.LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 5);
        var checkpoint = RunCheckpoint.Save(Directory.CreateDirectory(scratch.PathOf("ckpt")).FullName, model, Normalization.Unit(1), 1, 0.5, 200, 1);
        var runs = scratch.PathOf("runs");
        var pictures = scratch.PathOf("pictures");
        // --epochs and --limit stay fixed (after the mutated part) so that a mutation cannot ask for an hour of training.
        string[][] bases =
        [
            ["shapes", "conv", "--input", "3x32x32", "--filters", "10", "--kernel", "5", "--padding", "2", "--stride", "1", "--dilation", "1", "--groups", "1"],
            ["shapes", "pool", "--input", "3x32x32", "--kernel", "2", "--stride", "2", "--padding", "0"],
            ["shapes", "transposed", "--input", "8x7x7", "--filters", "4", "--kernel", "4", "--stride", "2", "--padding", "1"],
            ["summary", "lenet5", "--input", "1x28x28"],
            ["evaluate", "--checkpoint", checkpoint, "--data", Scratch.Fixture, "--batch", "500", "--backend", "cpu"],
            ["pictures", "edge", "--data", Scratch.Fixture, "--index", "2", "--out", pictures],
            ["variants", "--list"],
        ];
        string[] train = ["train", "--data", Scratch.Fixture, "--out", runs, "--batch-size", "30", "--lr", "0.003", "--optimizer", "adam",
            "--schedule", "one-cycle", "--seed", "42", "--clip", "5", "--patience", "2", "--max-image-side", "64"];
        int ok = 0, rejected = 0;
        for (var i = 0; i < Cases; i++)
        {
            var isTrain = i % 10 == 9;
            var args = Mutate(fuzz, (isTrain ? train : fuzz.Pick(bases)).ToList());
            if (isTrain) args = [.. args, "--epochs", "1", "--limit", "30"];
            var (code, _, _) = FuzzKit.AssertCli($"cli case {i} (seed {seed}): {string.Join(' ', args.Select(FuzzKit.Show))}", [.. args]);
            if (code == 2) rejected++; else ok++;
        }
        log.WriteLine(FuzzKit.Summary("command lines", Cases, seed, clock) + $": {ok} ran, {rejected} rejected");
        Assert.True(ok > 0 && rejected > Cases / 4, $"the mutations should both keep and break command lines: {ok} ran, {rejected} rejected");
    }

    private static List<string> Mutate(FuzzKit fuzz, List<string> args)
    {
        var first = args[0] is "shapes" or "pictures" ? 2 : 1;   // keep the command itself, so every command is exercised
        for (var n = 1 + fuzz.Below(2); n > 0 && args.Count > first; n--)
        {
            var at = first + fuzz.Below(args.Count - first);
            switch (fuzz.Below(7))
            {
                case 0: case 1: args[at] = fuzz.Pick(FuzzKit.ExtremeIntegers); break;
                case 2: case 3: args[at] = fuzz.Pick(FuzzKit.OddValues); break;
                case 4: args.RemoveAt(at); break;
                case 5: args.Insert(at, args[at]); break;
                default: args.Insert(at, fuzz.Pick(["--nonsense", "-x", "--help-me", "--epochs"])); break;
            }
        }
        return args;
    }
}
