using System.Buffers.Binary;
using System.IO.Compression;

namespace Functional.Data;

/// <summary>
/// Reader for the IDX format of MNIST and Fashion-MNIST: a big-endian magic number (2051 for unsigned-byte
/// images of rank 3, 2049 for labels of rank 1), big-endian dimensions, then the raw bytes. Files may be gzipped
/// (detected from the gzip signature, not the name) or plain. Every violation is a <see cref="InvalidDataException"/>.
/// </summary>
public static class Idx
{
    /// <summary>Magic number of an unsigned-byte rank-3 file (N×rows×cols images).</summary>
    public const int ImagesMagic = 0x0803;

    /// <summary>Magic number of an unsigned-byte rank-1 file (N labels).</summary>
    public const int LabelsMagic = 0x0801;

    // Fashion-MNIST and MNIST images are 28×28; the bound only rejects absurd headers before allocating.
    private const int MaxSide = 4096;

    /// <summary>Reads an image file: the count, the image size and the pixels (count·rows·cols bytes, row-major).</summary>
    /// <exception cref="InvalidDataException">Wrong magic, bad dimensions, truncated or trailing data.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path)
    {
        var bytes = ReadAll(path);
        var magic = Header(path, bytes, 0, 16, "image");
        if (magic != ImagesMagic)
            throw DataFormat.Error(path, WrongMagic(magic, ImagesMagic, "an image file (unsigned bytes, rank 3)"));
        int count = Header(path, bytes, 4, 16, "image"), rows = Header(path, bytes, 8, 16, "image"), cols = Header(path, bytes, 12, 16, "image");
        if (count < 0 || rows <= 0 || cols <= 0 || rows > MaxSide || cols > MaxSide)
            throw DataFormat.Error(path, $"the header declares {count} images of {rows}×{cols} pixels, which is impossible.");
        var expected = 16L + (long)count * rows * cols;
        CheckLength(path, bytes.Length, expected, $"{count} images of {rows}×{cols} pixels");
        return (count, rows, cols, bytes.AsSpan(16).ToArray());
    }

    /// <summary>Reads a label file: one byte per sample.</summary>
    /// <exception cref="InvalidDataException">Wrong magic, truncated or trailing data.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static byte[] ReadLabels(string path)
    {
        var bytes = ReadAll(path);
        var magic = Header(path, bytes, 0, 8, "label");
        if (magic != LabelsMagic)
            throw DataFormat.Error(path, WrongMagic(magic, LabelsMagic, "a label file (unsigned bytes, rank 1)"));
        var count = Header(path, bytes, 4, 8, "label");
        if (count < 0)
            throw DataFormat.Error(path, $"the header declares {count} labels.");
        CheckLength(path, bytes.Length, 8L + count, $"{count} labels");
        return bytes.AsSpan(8).ToArray();
    }

    /// <summary>Reads an image file and its label file into one single-channel <see cref="Dataset"/>, checking that
    /// the counts agree and every label is below <paramref name="classes"/>.</summary>
    /// <param name="limit">Keep only the first <paramref name="limit"/> samples (null: all).</param>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, int classes, int? limit = null)
    {
        var (count, rows, cols, pixels) = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != count)
            throw DataFormat.Error(labelsPath, $"holds {labels.Length} labels but {imagesPath} holds {count} images; the two files must come from the same split.");
        for (var i = 0; i < labels.Length; i++)
            if (labels[i] >= classes)
                throw DataFormat.Error(labelsPath, $"label {i} is {labels[i]}, but there are only {classes} classes (0..{classes - 1}).");
        var data = Dataset.Wrap(Shape.Image(1, rows, cols), pixels, labels, classes);
        return limit is { } n ? data.Take(n) : data;
    }

    private static string WrongMagic(int found, int expected, string what) =>
        $"magic number is 0x{found:X8} ({found}) but {what} starts with 0x{expected:X8} ({expected}); " +
        (found == LabelsMagic || found == ImagesMagic ? "the image and label files look swapped." : "this is not an IDX file of that kind.");

    // Reads one header field, so a short file with a wrong magic reports the magic (the likelier mistake).
    private static int Header(string path, byte[] bytes, int offset, int headerSize, string kind) =>
        bytes.Length < offset + 4
            ? throw DataFormat.Error(path, $"is {bytes.Length} bytes long, shorter than the {headerSize}-byte header of an IDX {kind} file (truncated?).")
            : BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset, 4));

    private static void CheckLength(string path, long actual, long expected, string what)
    {
        if (actual < expected)
            throw DataFormat.Error(path, $"is truncated: the header declares {what} ({expected:N0} bytes with the header) but only {actual:N0} bytes are present.");
        if (actual > expected)
            throw DataFormat.Error(path, $"has {actual - expected:N0} bytes of trailing data after the {what} its header declares ({expected:N0} bytes expected).");
    }

    /// <summary>The file's content, inflated when it starts with the gzip signature 1F 8B.</summary>
    internal static byte[] ReadAll(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: file not found.", path);
        using var file = File.OpenRead(path);
        Span<byte> sig = stackalloc byte[2];
        var n = file.ReadAtLeast(sig, 2, throwOnEndOfStream: false);
        file.Position = 0;
        if (n < 2 || sig[0] != 0x1F || sig[1] != 0x8B)
        {
            var plain = new byte[file.Length];
            file.ReadExactly(plain);
            return plain;
        }
        try
        {
            using var gz = new GZipStream(file, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gz.CopyTo(buffer);
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw DataFormat.Error(path, $"is not a valid gzip stream ({e.Message}); the download is probably truncated or corrupt.", e);
        }
    }
}
