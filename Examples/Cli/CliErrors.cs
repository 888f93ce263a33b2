using System.CommandLine;

namespace Functional.Cli;

/// <summary>A value on the command line that cannot be used; reported as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Turns bad input into one clear line on stderr and exit code 2, never a stack trace.</summary>
internal static class CliErrors
{
    /// <summary>The exit code for bad values or a command line that does not parse.</summary>
    public const int UsageExitCode = 2;

    /// <summary>Runs a command body, reporting the errors a user can cause (bad values, impossible shapes, files that
    /// are missing, unreadable, corrupt or cannot be written) as one line and exit code 2.</summary>
    public static int Guard(ParseResult parsed, Func<TextWriter, int> body)
    {
        var config = parsed.InvocationConfiguration;
        try
        {
            return body(config.Output);
        }
        catch (Exception e) when (IsUserError(e))
        {
            config.Error.WriteLine($"error: {OneLine(e.Message)}");
            return UsageExitCode;
        }
    }

    /// <summary>Errors that come from the input or the machine rather than a bug: their messages name the value or
    /// file and the rule broken. IOException covers missing and unreadable files and a full disk.</summary>
    public static bool IsUserError(Exception e) =>
        e is UsageException or ArgumentException or FormatException or OverflowException
            or InvalidDataException or IOException or UnauthorizedAccessException;

    /// <summary>The message on one line: line breaks and tabs (some parser messages list choices on lines of their
    /// own) become single spaces.</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
