using System.Globalization;
using Functional.Io;

namespace Functional.Cli.Training;

/// <summary>
/// The <c>--out</c> folder and the run folders inside it (<c>out/yyyyMMdd-HHmmss</c>): checked before a run starts,
/// cleaned of temporary files that interrupted saves left, and removed again when a run ends before its first epoch
/// was recorded, so a failed start leaves no empty folder.
/// </summary>
internal static class RunFolders
{
    /// <summary>Creates <paramref name="root"/> if needed and checks a file can be written in it.</summary>
    /// <exception cref="UsageException">It is a file, or cannot be created or written; the message says why.</exception>
    public static void PrepareRoot(string root)
    {
        if (File.Exists(root))
            throw new UsageException($"--out {root}: is a file; give a folder (it receives one folder per run).");
        try
        {
            Directory.CreateDirectory(root);
            var probe = Path.Combine(root, $".write-test.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out {root}: cannot be written ({CliErrors.OneLine(e.Message).TrimEnd('.')}).");
        }
    }

    /// <summary>Deletes the temporary files of interrupted saves in <paramref name="root"/> and its run folders.</summary>
    public static IReadOnlyList<string> RemoveStaleTemporaryFiles(string root) =>
        [.. AtomicFile.RemoveStale(root), .. Directory.EnumerateDirectories(root).SelectMany(AtomicFile.RemoveStale)];

    /// <summary>A new folder <c>root/yyyyMMdd-HHmmss</c> (UTC), with a suffix if two runs start in the same second.</summary>
    public static string Create(string root)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var path = Path.Combine(root, stamp);
        for (var i = 2; Directory.Exists(path); i++) path = Path.Combine(root, $"{stamp}-{i}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes <paramref name="runDirectory"/> unless an epoch was recorded in it (history.csv, written
    /// last for each epoch, exists). Best effort: the error that ended the run is the one to report.</summary>
    public static void RemoveIfNoEpoch(string runDirectory)
    {
        if (File.Exists(Path.Combine(runDirectory, HistoryCsv.FileName))) return;
        try { Directory.Delete(runDirectory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
