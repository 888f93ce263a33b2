namespace Functional.Io;

/// <summary>
/// Opens and reads the files a user names (checkpoints, datasets) so that every way a path can be wrong gives an
/// exception whose message starts with the path and says what is wrong: missing, a folder, a dangling link, a link
/// loop, unreadable, or not a regular file (a device such as <c>/dev/zero</c> would otherwise be read forever).
/// </summary>
public static class InputFile
{
    /// <summary>Opens <paramref name="path"/> for reading; <paramref name="kind"/> names it in messages ("checkpoint").</summary>
    /// <exception cref="FileNotFoundException">Nothing is there, or a symbolic link points nowhere.</exception>
    /// <exception cref="IOException">A folder, a link loop, or another reason the file cannot be opened.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission denied.</exception>
    public static FileStream Open(string path, string kind)
    {
        if (Directory.Exists(path))
            throw new IOException($"{path}: is a folder, not a file ({kind} expected).");
        if (!File.Exists(path)) throw NotFound(path, kind);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException)
        {
            throw NotFound(path, kind);   // File.Exists is true for a link whose target is missing
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"{path}: permission denied; the {kind} cannot be read.", e);
        }
        catch (IOException e)
        {
            throw new IOException($"{path}: the {kind} cannot be opened ({Reason(e, path)}).", e);
        }
    }

    /// <summary>The whole file, at most <paramref name="maxBytes"/> long.</summary>
    /// <exception cref="IOException">As <see cref="Open"/>, a read error, a file larger than the bound, or a file
    /// that yields more bytes than its size (not a regular file).</exception>
    public static byte[] ReadAll(string path, string kind, long maxBytes)
    {
        using var file = Open(path, kind);
        try
        {
            var length = file.Length;
            if (length > maxBytes)
                throw new IOException($"{path}: is {length:N0} bytes, more than the {maxBytes:N0} a {kind} may have.");
            var bytes = new byte[length];
            var read = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (read < length)
                throw new IOException($"{path}: only {read:N0} of its {length:N0} bytes could be read (the file shrank while reading).");
            CheckEnd(file, path, length);
            return bytes;
        }
        catch (IOException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new IOException($"{path}: the {kind} cannot be read ({Reason(e, path)}).", e);
        }
    }

    /// <summary>Throws unless <paramref name="stream"/> is at its end: a regular file of <paramref name="length"/>
    /// bytes has nothing more; a device or pipe keeps producing.</summary>
    public static void CheckEnd(Stream stream, string path, long length)
    {
        Span<byte> one = stackalloc byte[1];
        if (stream.Read(one) != 0)
            throw new IOException($"{path}: is not a regular file: it yields more than its size of {length:N0} bytes (a device such as /dev/zero?).");
    }

    private static FileNotFoundException NotFound(string path, string kind) => DanglingLink(path) is { } target
        ? new FileNotFoundException($"{path}: is a symbolic link to {target}, which does not exist; the {kind} is missing.", path)
        : new FileNotFoundException($"{path}: {kind} not found.", path);

    // The target of a symbolic link whose target is missing, else null.
    private static string? DanglingLink(string path)
    {
        try { return new FileInfo(path).LinkTarget; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    // The operating system's reason without the path .NET appends (" : '/the/path'"), which the message already starts with.
    private static string Reason(Exception e, string path)
    {
        var message = e.Message.TrimEnd('.');
        foreach (var suffix in new[] { $" : '{path}'", $" : '{Path.GetFullPath(path)}'", $" '{path}'", $" '{Path.GetFullPath(path)}'" })
            if (message.EndsWith(suffix, StringComparison.Ordinal)) return message[..^suffix.Length];
        return message;
    }
}
