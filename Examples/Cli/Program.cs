using System.CommandLine;
using Functional.Cli.Commands;

namespace Functional.Cli;

/// <summary>The <c>functional</c> command-line program; <c>./build.sh &lt;command&gt;</c> forwards here.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs one subcommand; returns its exit code.</summary>
    public static int Main(string[] args) => Run(args);

    /// <summary>
    /// Runs the program with the given writers (tests capture them; null means the console). A command line that
    /// does not parse gives one line on <paramref name="error"/> and exit code 2, like a bad value.
    /// </summary>
    internal static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var root = new RootCommand("Functional: immutable convolutional networks for .NET.")
        {
            VersionCommand.Create(),
            ShapesCommand.Create(),
            ConformanceCommand.Create(),
            SummaryCommand.Create(),
            PicturesCommand.Create(),
            TrainCommand.Create(),
            EvaluateCommand.Create(),
            ExportCommand.Create(),
            OnnxCommand.Create(),
            VariantsCommand.Create(),
            DevicesCommand.Create(),
        };
        var config = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            config.Error.WriteLine($"error: {CliErrors.OneLine(parsed.Errors[0].Message)} (see --help)");
            return CliErrors.UsageExitCode;
        }
        return parsed.Invoke(config);
    }
}
