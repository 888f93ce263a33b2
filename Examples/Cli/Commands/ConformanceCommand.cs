using System.CommandLine;
using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Cli.Conformance;

namespace Functional.Cli.Commands;

/// <summary><c>conformance FILE...</c>: checks the implementation against reference cases generated from PyTorch.</summary>
internal static class ConformanceCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Case files in the format of conformance/README.md (e.g. conformance/*.json).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("conformance", "Compare forward outputs and gradients with reference cases; exit 1 if any case fails, 2 if a file is malformed.")
        {
            files,
        };
        command.SetAction(parse => Run(parse.GetValue(files) ?? [], Console.Out));
        return command;
    }

    /// <summary>Prints failing cases and the closing "N passed, M failed" line; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> files, TextWriter output)
    {
        try
        {
            var report = ConformanceRunner.Run(ExecutionContext.Reference, files, output);
            output.WriteLine($"{report.Passed} passed, {report.Failed} failed");
            return report.Failed == 0 ? 0 : 1;
        }
        catch (ConformanceFormatException e)
        {
            output.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
