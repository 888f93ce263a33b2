using System.CommandLine;
using Functional.Cli.Commands;

namespace Functional.Cli;

/// <summary>The <c>functional</c> command-line program; <c>./build.sh &lt;command&gt;</c> forwards here.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs one subcommand; returns its exit code.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("Functional: immutable convolutional networks for .NET.")
        {
            VersionCommand.Create(),
            ConformanceCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
