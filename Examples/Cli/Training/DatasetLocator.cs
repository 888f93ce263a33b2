using System.Diagnostics;
using Functional.Data;

namespace Functional.Cli.Training;

/// <summary>
/// Finds the Fashion-MNIST files for a run. An explicit <c>--data DIR</c> must hold them. The default folder is
/// where the Debian package <c>dataset-fashion-mnist</c> puts them; when they are missing there and the program
/// runs as root with apt-get available, it installs the package itself (its output shown on stderr), otherwise
/// it says exactly what to run.
/// </summary>
internal sealed class DatasetLocator(Func<string, bool> exists, bool canInstall, Func<string, string, int> run, TextWriter log)
{
    /// <summary>The Debian package that installs the files into <see cref="FashionMnist.DebianDirectory"/>.</summary>
    public const string Package = "dataset-fashion-mnist";

    /// <summary>The locator for this machine: real files, real apt-get, progress on <paramref name="log"/>.</summary>
    public static DatasetLocator ForThisMachine(TextWriter log) =>
        new(FashionMnist.Exists, Environment.IsPrivilegedProcess && OnPath("apt-get"), (file, args) => Run(file, args, log), log);

    /// <summary>The folder holding the four files.</summary>
    /// <exception cref="UsageException">They are not there and cannot be installed; the message says what to do.</exception>
    public string Locate(string? explicitDirectory)
    {
        if (explicitDirectory is not null)
            return exists(explicitDirectory) ? explicitDirectory
                : throw new UsageException($"--data {explicitDirectory}: the folder does not hold the four Fashion-MNIST files " +
                    $"({FashionMnist.TrainImages}, {FashionMnist.TrainLabels}, {FashionMnist.TestImages}, {FashionMnist.TestLabels}).");
        var dir = FashionMnist.DebianDirectory;
        if (exists(dir)) return dir;
        var instruction = $"Install them with 'sudo apt-get install -y {Package}', or point --data at a folder holding them.";
        if (!canInstall)
            throw new UsageException($"Fashion-MNIST is not in {dir}. {instruction}");
        log.WriteLine($"Fashion-MNIST is not in {dir}; installing the Debian package {Package} (apt-get install -y {Package}).");
        // A fresh machine may have empty package lists: refresh them once if the first attempt fails.
        if (run("apt-get", $"install -y {Package}") != 0)
        {
            log.WriteLine("apt-get install failed; refreshing the package lists (apt-get update) and trying again.");
            if (run("apt-get", "update") != 0 || run("apt-get", $"install -y {Package}") != 0)
                throw new UsageException($"apt-get could not install {Package} (see its output above). {instruction}");
        }
        return exists(dir) ? dir
            : throw new UsageException($"{Package} was installed but {dir} still lacks the files. {instruction}");
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));

    /// <summary>Runs a program non-interactively with its output forwarded to <paramref name="log"/> (stdout stays
    /// reserved for results); returns its exit code.</summary>
    private static int Run(string file, string arguments, TextWriter log)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var gate = new object();
        void Forward(object _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (gate) log.WriteLine($"  {e.Data}");
        }
        process.OutputDataReceived += Forward;
        process.ErrorDataReceived += Forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return process.ExitCode;
    }
}
