using System.Globalization;
using Functional.Cli.Training;
using Functional.Io;
using Xunit;

namespace Functional.Tests.Hardening;

/// <summary>A run folder stays consistent with its checkpoint: history.csv is written last for each epoch, a run that
/// fails before its first epoch leaves no folder, and temporary files of interrupted saves are removed.</summary>
public sealed class RunFolderOrderTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    private TrainSettings Settings(string root) =>
        TrainSettings.Default with { Epochs = 2, Limit = 60, BatchSize = 30, Data = Scratch.Fixture, Out = root };

    /// <summary>Passes through to <paramref name="inner"/> but fails like a full disk in the given epoch.</summary>
    private sealed class FailingIn(IRunArtifact inner, int epoch) : IRunArtifact
    {
        public string Name => inner.Name;

        public void AfterEpoch(RunSnapshot snapshot)
        {
            if (snapshot.Epoch == epoch) throw new IOException($"{Path.Combine(snapshot.Directory, inner.Name)}: could not be written (No space left on device).");
            inner.AfterEpoch(snapshot);
        }
    }

    private static IRunArtifact Fail(IRunArtifact a, string name, int epoch) => a.Name.Contains(name, StringComparison.Ordinal) ? new FailingIn(a, epoch) : a;

    [Fact]
    public void A_crash_after_the_checkpoint_never_leaves_history_ahead_of_it()
    {
        var root = scratch.PathOf("runs");
        var e = Assert.Throws<IOException>(() => TrainRun.Execute(Settings(root), TextWriter.Null, TextWriter.Null, a => Fail(a, "png", 2)));
        Assert.Contains("No space left on device", e.Message);
        var folder = Assert.Single(Directory.GetDirectories(root));
        var rows = File.ReadAllLines(Path.Combine(folder, HistoryCsv.FileName)).Skip(1).ToArray();
        var checkpointEpoch = int.Parse(SafeTensors.Load(Path.Combine(folder, "model.safetensors")).Metadata["epoch"], CultureInfo.InvariantCulture);
        Assert.Equal(2, checkpointEpoch);   // written before the pictures failed
        Assert.Equal(["1"], rows.Select(r => r.Split(',')[0]));   // history.csv holds only epochs fully written
    }

    [Fact]
    public void A_run_that_fails_in_its_first_epoch_leaves_no_folder()
    {
        var root = scratch.PathOf("runs");
        Assert.Throws<IOException>(() => TrainRun.Execute(Settings(root), TextWriter.Null, TextWriter.Null, a => Fail(a, "png", 1)));
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    [Fact]
    public void Temporary_files_of_interrupted_saves_are_removed_at_the_next_start()
    {
        var root = scratch.PathOf("runs");
        var old = Directory.CreateDirectory(Path.Combine(root, "20200101-000000")).FullName;
        // pid 2147483647 is never running; this process's own temporary files may belong to a save in progress.
        var stale = Path.Combine(old, $".model.safetensors.2147483647.{Guid.NewGuid():N}.tmp");
        var live = Path.Combine(old, $".history.csv.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var unrelated = Path.Combine(old, ".notes.tmp");
        foreach (var f in new[] { stale, live, unrelated }) File.WriteAllText(f, "x");
        Assert.Equal(0, TrainRun.Execute(Settings(root) with { Epochs = 1 }, TextWriter.Null, TextWriter.Null));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(unrelated));
    }
}
