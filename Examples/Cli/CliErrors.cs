using System.CommandLine;

namespace Functional.Cli;

/// <summary>A value on the command line that cannot be used; reported as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Turns bad input into one clear line on stderr and exit code 2, never a stack trace.</summary>
internal static class CliErrors
{
    /// <summary>The exit code for bad values or a command line that does not parse.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Runs a command body, reporting the errors a user can cause (bad values, impossible shapes).</summary>
    public static int Guard(ParseResult parsed, Func<TextWriter, int> body)
    {
        var config = parsed.InvocationConfiguration;
        try
        {
            return body(config.Output);
        }
        catch (Exception e) when (e is UsageException or ArgumentException or FormatException or OverflowException)
        {
            config.Error.WriteLine($"error: {e.Message}");
            return UsageExitCode;
        }
    }
}
