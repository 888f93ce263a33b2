using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace Functional.Tests.GpuBundle;

/// <summary>
/// The GPU check bundle as CI can check it without a GPU: <c>./build.sh gpu-bundle</c> makes a folder under 60 MiB,
/// and its program starts, finds ILGPU's CPU accelerator and agrees with the Cpu backend with no .NET on the PATH.
/// The bundle is published once per build (build.sh skips the publish when the folder holds this build's bundle).
/// </summary>
public sealed class GpuBundleTests(ITestOutputHelper log)
{
    private const long SizeLimit = 60L << 20;

    [Fact]
    public void The_bundle_fits_in_60_MiB_and_its_cpu_self_check_passes_without_dotnet_on_the_path()
    {
        var root = ConformanceTests.RepoRoot();
        var dir = Path.Combine(root, "artifacts", "gpu-bundle");
        var clock = Stopwatch.StartNew();
        var (made, makeOut, makeErr) = Run(root, Path.Combine(root, "build.sh"), "gpu-bundle", dir);
        Assert.True(made == 0, $"./build.sh gpu-bundle failed ({made}):\n{makeOut}\n{makeErr}");
        log.WriteLine($"gpu-bundle: {clock.Elapsed.TotalSeconds:F0} s");

        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories);
        var size = files.Sum(f => new FileInfo(f).Length);
        Assert.True(size < SizeLimit, $"the bundle holds {size:N0} bytes, over the 60 MiB limit: {string.Join(", ", files.Select(Path.GetFileName))}");
        // Single-file: the runtime and the libraries are inside the program, not beside it.
        Assert.DoesNotContain(files, f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".so", StringComparison.Ordinal));
        foreach (var name in new[] { "gpu-check", "run.sh", "gpu_check_torch.py", "bench_torch.py" })
            Assert.True(File.Exists(Path.Combine(dir, name)), $"the bundle lacks {name}");

        // A PATH holding only what run.sh calls, so no dotnet can be found; the environment is otherwise empty.
        var bin = Directory.CreateTempSubdirectory("gpu-bundle-path-").FullName;
        try
        {
            File.CreateSymbolicLink(Path.Combine(bin, "dirname"), "/usr/bin/dirname");
            clock.Restart();
            var (exit, output, error) = Run(bin, "/usr/bin/env", "-i", $"PATH={bin}", Path.Combine(dir, "run.sh"),
                "--accelerator", "cpu", "--quick", "--agreement-only");
            log.WriteLine($"self-check: {clock.Elapsed.TotalSeconds:F0} s\n{output}");
            Assert.True(exit == 0, $"the self-check exited with {exit}:\n{output}\n{error}");

            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var verdicts = lines.Where(l => l.EndsWith("PASS", StringComparison.Ordinal) || l.Contains("  FAIL", StringComparison.Ordinal)).ToArray();
            // Nine conv shapes, four other operations, two training steps.
            Assert.Equal(15, verdicts.Length);
            Assert.All(verdicts, l => Assert.EndsWith("PASS", l));
            Assert.Contains(lines, l => l.StartsWith("  cpu: CPUAccelerator", StringComparison.Ordinal));
            Assert.StartsWith("gpu conv f+b geomean torch/ours: not measured", lines[^1]);
        }
        finally
        {
            Directory.Delete(bin, recursive: true);
        }
    }

    [Fact]
    public void The_bundled_program_refuses_an_unknown_accelerator_with_exit_2_and_one_line()
    {
        var root = ConformanceTests.RepoRoot();
        var program = Path.Combine(root, "Examples", "GpuCheck", "bin", "Release", "net10.0", "linux-x64", "gpu-check.dll");
        var (exit, output, error) = Run(root, "dotnet", program, "--accelerator", "tpu");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("gpu-check: --accelerator takes cuda, opencl or cpu, not 'tpu'.", error.Trim());
    }

    [Fact]
    public void The_bundled_program_refuses_a_data_folder_without_the_idx_files_before_any_work()
    {
        var root = ConformanceTests.RepoRoot();
        var program = Path.Combine(root, "Examples", "GpuCheck", "bin", "Release", "net10.0", "linux-x64", "gpu-check.dll");
        var empty = Directory.CreateTempSubdirectory("gpu-check-data-").FullName;
        try
        {
            var (exit, output, error) = Run(root, "dotnet", program, "--accelerator", "cpu", "--data", empty);
            Assert.Equal(2, exit);
            Assert.Equal("", output);
            Assert.Equal($"gpu-check: --data {empty}: train-images-idx3-ubyte.gz is not there (Fashion-MNIST's training IDX files are needed).", error.Trim());
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private static (int Exit, string Out, string Err) Run(string workingDirectory, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(20)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran past 20 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}
