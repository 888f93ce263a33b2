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
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string temp)
    {
        try { File.Delete(temp); }
        catch (IOException) { }              // best effort: a stray .tmp never shadows the final name
        catch (UnauthorizedAccessException) { }
    }
}
