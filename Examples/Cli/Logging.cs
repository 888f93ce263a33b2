using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Functional.Cli;

/// <summary>
/// The console logger for commands that do long work (training, benchmarks). Every level goes to stderr, so that
/// stdout carries only a command's result and can be piped or compared.
/// </summary>
internal static class Logging
{
    /// <summary>A factory writing single-line, timestamped messages at <paramref name="minimum"/> and above to stderr.</summary>
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
                options.UseUtcTimestamp = true;
            })
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
}
