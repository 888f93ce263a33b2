using Functional.Cli;

namespace Functional.Tests.Support;

/// <summary>
/// The <c>functional</c> program run in-process, as <c>./build.sh &lt;command&gt;</c> runs it, with stdout and stderr
/// captured separately, so tests can assert what each stream carries and the exit code.
/// </summary>
internal static class InProcessCli
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = Program.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
