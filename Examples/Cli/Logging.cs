using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Functional.Cli;

/// <summary>
/// The console logger for commands that do long work (training, benchmarks). Every level goes to stderr, so that
/// stdout carries only a command's result and can be piped or compared.
/// </summary>
internal static class Logging
{
    /// <summary>A factory writing single-line, timestamped messages at <paramref name="minimum"/> and above to stderr,
    /// each after <paramref name="prefix"/> when given (a distributed run's "rank 1/2").</summary>
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Information, string? prefix = null) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = prefix is null ? "HH:mm:ss " : $"HH:mm:ss '{prefix}' ";
                options.UseUtcTimestamp = true;
            })
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace));
}
