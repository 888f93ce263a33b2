using System.Buffers.Binary;
using System.IO.Compression;
using Functional.Io;

namespace Functional.Data;

/// <summary>
/// Reads one IDX file, gzipped (detected from the signature 1F 8B, not the name) or plain, in the order that keeps
/// memory bounded by what the header declares: header first (magic, then dimensions), then exactly the declared
/// payload, then a check that nothing follows, then, for gzip, the CRC-32 and length trailer. A gzip bomb is
/// therefore stopped one byte past the declared size, not after gigabytes.
/// </summary>
internal static class IdxStream
{
    // How much of an oversized stream is counted for the "trailing data" message before giving up.
    private const int TrailingCountCap = 1 << 20;

    /// <summary>The payload after the header. <paramref name="declared"/> validates the header and returns the
    /// payload size it declares and a description for messages ("5 images of 28×28 pixels").</summary>
    public static byte[] Read(string path, int headerSize, string kind, int magic, string magicWhat, Func<byte[], (long Bytes, string What)> declared)
    {
        using var file = InputFile.Open(path, $"IDX {kind} file");
        try
        {
            var gzip = IsGzip(file);
            using var content = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : null;
            Stream source = content ?? (Stream)file;
            var header = new byte[headerSize];
            var got = source.ReadAtLeast(header, headerSize, throwOnEndOfStream: false);
            // A short file with a wrong magic reports the magic: the likelier mistake.
            if (got >= 4 && BinaryPrimitives.ReadInt32BigEndian(header) is var found && found != magic)
                throw DataFormat.Error(path, Idx.WrongMagic(found, magic, magicWhat));
            if (got < headerSize)
                throw DataFormat.Error(path, $"is {got} bytes long{(gzip ? " decompressed" : "")}, shorter than the {headerSize}-byte header of an IDX {kind} file (truncated?).");
            var (bytes, what) = declared(header);
            var expected = headerSize + bytes;
            if (!gzip) CheckLength(path, file.Length, expected, what);   // a plain file's size is known before reading
            var (payload, read) = ReadUpTo(source, bytes);
            if (read < bytes) CheckLength(path, headerSize + read, expected, what);
            var extra = Count(source, TrailingCountCap);
            if (extra > 0)
                throw DataFormat.Error(path, extra < TrailingCountCap
                    ? $"has {extra:N0} bytes of trailing data after the {what} its header declares ({expected:N0} bytes expected)."
                    : $"has more than {TrailingCountCap:N0} bytes of data after the {what} its header declares ({expected:N0} bytes expected); not a device or a gzip bomb, please.");
            if (gzip) CheckTrailer(path, file, Crc32.Append(Crc32.Append(0, header), payload), expected);
            return payload;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw DataFormat.Error(path, $"is not a valid gzip stream ({e.Message}); the download is probably truncated or corrupt.", e);
        }
        catch (IOException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new IOException($"{path}: cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>A whole file without a header of its own (CIFAR-10 batches), inflated when gzipped (trailer checked),
    /// at most <paramref name="maxBytes"/> bytes of content.</summary>
    public static byte[] ReadAll(string path, string kind, long maxBytes)
    {
        using (var probe = InputFile.Open(path, kind))
            if (!IsGzip(probe)) return InputFile.ReadAll(path, kind, maxBytes);
        using var file = InputFile.Open(path, kind);
        try
        {
            using var content = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
            var (data, read) = ReadUpTo(content, maxBytes);
            if (read == maxBytes && Count(content, 1) > 0)
                throw DataFormat.Error(path, $"decompresses to more than the {maxBytes:N0} bytes a {kind} may have.");
            Array.Resize(ref data, (int)read);
            CheckTrailer(path, file, Crc32.Append(0, data), read);
            return data;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw DataFormat.Error(path, $"is not a valid gzip stream ({e.Message}); the download is probably truncated or corrupt.", e);
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> sig = stackalloc byte[2];
        var n = file.ReadAtLeast(sig, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && sig[0] == 0x1F && sig[1] == 0x8B;
    }

    // The last 8 bytes of a gzip file are the CRC-32 and the length (mod 2³²) of the uncompressed data. When they
    // are missing, or garbage follows the stream, they do not match: .NET's GZipStream reports neither case.
    private static void CheckTrailer(string path, FileStream file, uint crc, long length)
    {
        Span<byte> trailer = stackalloc byte[8];
        file.Position = Math.Max(file.Length - 8, 0);
        var n = file.ReadAtLeast(trailer, 8, throwOnEndOfStream: false);
        var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var storedLength = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (n < 8 || storedCrc != crc || storedLength != (uint)length)
            throw DataFormat.Error(path, $"the gzip trailer does not match the data (it records CRC-32 {storedCrc:X8} and {storedLength:N0} bytes; " +
                $"the data has {crc:X8} and {(uint)length:N0}): the trailer is missing (truncated download) or garbage follows the gzip stream.");
    }

    private static void CheckLength(string path, long actual, long expected, string what)
    {
        if (actual < expected)
            throw DataFormat.Error(path, $"is truncated: the header declares {what} ({expected:N0} bytes with the header) but only {actual:N0} bytes are present.");
        if (actual > expected)
            throw DataFormat.Error(path, $"has {actual - expected:N0} bytes of trailing data after the {what} its header declares ({expected:N0} bytes expected).");
    }

    // Grows the buffer with the data actually read, so a header that declares gigabytes over a short stream does
    // not allocate them first.
    private static (byte[] Data, long Read) ReadUpTo(Stream s, long count)
    {
        var data = new byte[Math.Min(count, 1 << 20)];
        var read = 0;
        while (read < count)
        {
            if (read == data.Length) Array.Resize(ref data, (int)Math.Min(count, data.Length * 2L));
            var n = s.Read(data, read, data.Length - read);
            if (n == 0) break;
            read += n;
        }
        return (data, read);
    }

    private static int Count(Stream s, int cap)
    {
        var buffer = new byte[Math.Min(cap, 1 << 16)];
        var total = 0;
        int n;
        while (total < cap && (n = s.Read(buffer, 0, Math.Min(buffer.Length, cap - total))) > 0) total += n;
        return total;
    }
}
