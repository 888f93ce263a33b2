using Microsoft.Extensions.Logging;
using Xunit;

namespace Functional.Tests;

public class LoggingTests
{
    [Fact]
    public void Cli_logger_honours_the_minimum_level()
    {
        using var factory = Functional.Cli.Logging.Create(LogLevel.Information);
        var logger = factory.CreateLogger("train");
        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(logger.IsEnabled(LogLevel.Debug));
        using var verbose = Functional.Cli.Logging.Create(LogLevel.Trace);
        Assert.True(verbose.CreateLogger("train").IsEnabled(LogLevel.Trace));
    }
}
