using System.CommandLine;
using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Cli.Conformance;
using Functional.Cli.Training;

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
        var backend = new Option<string>("--backend")
        {
            Description = $"The backend under test: {string.Join(" or ", Backend.Names)}.",
            DefaultValueFactory = _ => "reference",
        };
        var command = new Command("conformance", "Compare forward outputs and gradients with reference cases; exit 1 if any case fails, 2 if a file is malformed.")
        {
            files, backend,
        };
        command.SetAction(parse => CliErrors.Guard(parse, output =>
            Run(parse.GetValue(files) ?? [], output, Backend.Create(parse.GetValue(backend)!))));
        return command;
    }

    /// <summary>Prints failing cases and the closing "N passed, M failed" line; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> files, TextWriter output, ExecutionContext? context = null)
    {
        try
        {
            var report = ConformanceRunner.Run(context ?? ExecutionContext.Reference, files, output);
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
