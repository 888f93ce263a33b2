using System.Diagnostics;
using System.Text.RegularExpressions;
using Functional.Distributed;
using Functional.Distributed.Mpi;
using Functional.Io;
using Functional.Network;
using Functional.Tests.Support;
using Xunit;

namespace Functional.Tests.Distributed;

/// <summary>
/// <c>train --distributed</c> as a two-rank mpirun job on loopback, on the committed Fashion-MNIST extract: 480
/// images at 12 per rank are 20 steps of a global batch of 24.
/// </summary>
public sealed partial class MpiTrainingTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");
    private readonly string dir = Directory.CreateTempSubdirectory("mpi").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string[] Train(string output, int batch, int epochs, params string[] more) =>
        ["train", "--data", Fixture, "--limit", "480", "--batch-size", batch.ToString(), "--epochs", epochs.ToString(), "--out", output, .. more];

    private static string Checkpoint(string runs) => Path.Combine(Assert.Single(Directory.GetDirectories(runs)), "model.safetensors");

    [GeneratedRegex(@"rank (\d)/2 .*Model sha256 ([0-9a-f]{64}), identical")]
    private static partial Regex DigestLine();

    [Fact]
    public void Two_ranks_end_bit_identical_and_equal_one_process_at_the_global_batch()
    {
        var (exit, stdout, stderr) = MpiJob.Run(2, TimeSpan.FromMinutes(3), [.. Train(Path.Combine(dir, "mpi"), 12, 1, "--distributed")]);
        Assert.True(exit == 0, $"mpirun exited {exit}:\n{stderr}");

        // Each rank reports the SHA-256 of its own final parameters; they agree, and match rank 0's checkpoint.
        var digests = DigestLine().Matches(stderr).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(["0", "1"], digests.Keys.Order());
        Assert.Equal(digests["0"], digests["1"]);
        var distributed = ModelCheckpoint.Load(Checkpoint(Path.Combine(dir, "mpi"))).Model;
        Assert.Equal(digests["1"], Convert.ToHexStringLower(DataParallel.Digest(distributed)));
        Assert.Single(Regex.Matches(stdout, "^test accuracy: ", RegexOptions.Multiline));   // rank 0 alone prints results

        var (singleExit, _, singleErr) = InProcessCli.Run(Train(Path.Combine(dir, "single"), 24, 1));
        Assert.True(singleExit == 0, singleErr);
        var single = ModelCheckpoint.Load(Checkpoint(Path.Combine(dir, "single"))).Model;
        foreach (var leaf in single.Parameters)
        {
            var scale = leaf.Value.Span.ToArray().Max(Math.Abs);
            var difference = distributed.Parameters[leaf.Path].MaxAbsDiff(leaf.Value);
            Assert.True(difference <= 1e-5 * scale, $"{leaf.Path}: max |distributed − single| = {difference:G3}, {difference / scale:G3} of max |single|");
        }
        Assert.NotEqual(Convert.ToHexStringLower(DataParallel.Digest(single)), digests["0"]);   // equal up to rounding, not a copy
    }

    [Fact]
    public void Killing_one_rank_ends_the_other_within_30_seconds_and_leaves_a_loadable_checkpoint()
    {
        var runs = Path.Combine(dir, "killed");
        var (stdout, stderr) = (new StringWriterSync(), new StringWriterSync());
        using var job = MpiJob.Start(2, Train(runs, 12, 500, "--distributed"), stdout, stderr);
        try
        {
            // Wait for the first completed epoch (history.csv is written last), then kill rank 1 mid-run.
            var wait = Stopwatch.StartNew();
            while (!(Directory.Exists(runs) && Directory.GetFiles(runs, "history.csv", SearchOption.AllDirectories) is [var h] && File.ReadAllLines(h).Length >= 2))
            {
                Assert.False(job.HasExited, $"the job ended before its first epoch:\n{stderr}");
                Assert.True(wait.Elapsed < TimeSpan.FromMinutes(2), $"no epoch finished within 2 minutes:\n{stderr}");
                Thread.Sleep(100);
            }
            var pid = int.Parse(Regex.Match(stderr.ToString(), @"Rank 1 of 2 \(pid (\d+)").Groups[1].Value);
            using (var rank1 = Process.GetProcessById(pid)) rank1.Kill();   // SIGKILL

            var clock = Stopwatch.StartNew();
            Assert.True(job.WaitForExit(TimeSpan.FromSeconds(30)), $"mpirun still runs 30 s after rank 1 was killed:\n{stderr}");
            job.WaitForExit();
            Assert.NotEqual(0, job.ExitCode);
            Assert.Matches(@"process rank 1 .* exited on signal 9", stderr.ToString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!job.HasExited) job.Kill(entireProcessTree: true);
        }
        var (exit, output, error) = InProcessCli.Run("evaluate", "--checkpoint", Checkpoint(runs), "--data", Fixture);
        Assert.True(exit == 0, error);
        Assert.Matches(@"test accuracy: 0\.\d{4}", output);
    }

    [Fact]
    public void Distributed_outside_mpirun_is_one_line_and_exit_2()
    {
        var (exit, stdout, stderr) = InProcessCli.Run(Train(Path.Combine(dir, "none"), 12, 1, "--distributed"));
        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.Equal("error: --distributed: this process was not started by mpirun; run './build.sh train --ranks N …' or 'mpirun -np N dotnet functional.dll train --distributed …'.", stderr.TrimEnd());
        Assert.False(Directory.Exists(Path.Combine(dir, "none")));
        var mpi = Assert.Throws<MpiException>(MpiWorld.Initialize);
        Assert.Contains("mpirun", mpi.Message);
    }

    [Fact]
    public void Synchronised_batch_norm_without_distributed_is_one_line_and_exit_2()
    {
        var (exit, _, stderr) = InProcessCli.Run(Train(Path.Combine(dir, "none"), 12, 1, "--sync-batchnorm"));
        Assert.Equal(2, exit);
        Assert.StartsWith("error: --sync-batchnorm:", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }
}
