namespace Functional.Io;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the previous file or the complete new one under the
/// final name, never a torn one: the bytes go to a temporary file in the same folder (same file system, so the
/// rename is atomic), are flushed to disk, and the temporary file is then renamed over the final name.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically with the bytes <paramref name="write"/> produces.</summary>
    /// <remarks>If <paramref name="write"/> throws, the temporary file is deleted and the old file is untouched.</remarks>
    public static void Write(string path, Action<Stream> write) => Write(path, write, null, null);

    /// <summary>Writes <paramref name="path"/> atomically with the given bytes.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>The test seam: <paramref name="wrap"/> can replace the stream (e.g. one that fails mid-write) and
    /// <paramref name="beforeRename"/> runs after the flush and before the rename (e.g. to simulate a crash there).</summary>
    internal static void Write(string path, Action<Stream> write, Func<Stream, Stream>? wrap, Action<string>? beforeRename)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{path}: cannot find the folder of this path.", nameof(path));
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var target = wrap?.Invoke(file) ?? file;
                write(target);
                target.Flush();
                file.Flush(flushToDisk: true);
            }
            beforeRename?.Invoke(temp);
            File.Move(temp, full, overwrite: true);   // rename(2) on Unix, MoveFileEx(REPLACE_EXISTING) on Windows
        }
        catch (IOException e)
        {
            TryDelete(temp);
            // The OS message names the temporary file; the user needs the file they asked for, and the reason
            // (for example "No space left on device").
            var reason = e.Message.Replace($" : '{temp}'", "", StringComparison.Ordinal).TrimEnd('.');
            throw new IOException($"{path}: could not be written ({reason}); " +
                (File.Exists(full) ? "the previous version is unchanged." : "nothing was left under this name."), e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// Deletes the temporary files that interrupted writes left in <paramref name="directory"/> (a process killed
    /// between creating and renaming one; a crash cannot run the cleanup above). Only files named as
    /// <see cref="Write(string, Action{Stream})"/> names them whose writing process is no longer running are removed,
    /// so a save in progress, in this process or another, is left alone.
    /// </summary>
    /// <returns>The paths deleted.</returns>
    public static IReadOnlyList<string> RemoveStale(string directory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(directory)) return removed;
        foreach (var file in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            var parts = Path.GetFileName(file).Split('.');
            // "", name..., pid, guid, "tmp"
            if (parts.Length < 5 || !int.TryParse(parts[^3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                || parts[^2].Length != 32 || !Guid.TryParseExact(parts[^2], "N", out _) || IsRunning(pid))
                continue;
            TryDelete(file);
            if (!File.Exists(file)) removed.Add(file);
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }           // no such process
        catch (InvalidOperationException) { return false; }
    }

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }              // best effort: a stray .tmp never shadows the final name
        catch (UnauthorizedAccessException) { }
    }
}
