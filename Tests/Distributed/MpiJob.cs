using System.Diagnostics;
using Xunit;

namespace Functional.Tests.Distributed;

/// <summary>
/// The <c>functional</c> program as an mpirun job on this machine (loopback), as <c>./build.sh train --ranks N</c>
/// starts it. Open MPI is a requirement of the test suite: when mpirun is missing the tests fail, saying how to
/// install it, rather than pass without having run.
/// </summary>
internal static class MpiJob
{
    public static string Mpirun() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "mpirun")).FirstOrDefault(File.Exists)
        ?? throw new Xunit.Sdk.XunitException("mpirun was not found on PATH: the distributed tests need Open MPI ('apt-get install openmpi-bin'; ./build.sh test installs it when run as root).");

    public static string Program()
    {
        var dll = Path.Combine(ConformanceTests.RepoRoot(), "Examples", "Cli", "bin", "Release", "net10.0", "functional.dll");
        return File.Exists(dll) ? dll : throw new Xunit.Sdk.XunitException($"{dll} is missing: build the solution in Release first (./build.sh test does).");
    }

    /// <summary>Starts <c>mpirun -np <paramref name="ranks"/> dotnet functional.dll <paramref name="args"/></c> with
    /// both streams collected line by line into <paramref name="stderr"/> and stdout.</summary>
    public static Process Start(int ranks, IEnumerable<string> args, StringWriterSync stdout, StringWriterSync stderr)
    {
        var info = new ProcessStartInfo(Mpirun())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Root in CI containers; more ranks than cores is allowed; each rank takes its share of threads itself.
        foreach (var a in new[] { "--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-np", ranks.ToString(), "dotnet", Program() }.Concat(args))
            info.ArgumentList.Add(a);
        info.Environment["CI"] = "true";   // plain progress lines
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) stdout.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.WriteLine(e.Data); };
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs the job to its end within <paramref name="timeout"/>, or kills it and fails.</summary>
    public static (int Exit, string Out, string Err) Run(int ranks, TimeSpan timeout, params string[] args)
    {
        var (stdout, stderr) = (new StringWriterSync(), new StringWriterSync());
        using var process = Start(ranks, args, stdout, stderr);
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"mpirun did not finish within {timeout.TotalSeconds} s; stderr:\n{stderr}");
        }
        process.WaitForExit();   // drains the streams
        return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>Lines from another thread, readable while they arrive.</summary>
internal sealed class StringWriterSync
{
    private readonly System.Text.StringBuilder text = new();

    public void WriteLine(string line) { lock (text) text.AppendLine(line); }

    public override string ToString() { lock (text) return text.ToString(); }
}
