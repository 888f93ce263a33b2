using System.Buffers.Binary;

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

    /// <summary>The largest image side <see cref="ReadImages"/> accepts by default. Fashion-MNIST and MNIST are
    /// 28×28; a network built for the data (LeNet's dense layer grows with the image area) would not fit in memory
    /// for sides in the thousands, so larger images are refused before anything is allocated.</summary>
    public const int DefaultMaxSide = 512;

    /// <summary>Reads an image file: the count, the image size and the pixels (count·rows·cols bytes, row-major).
    /// The header is checked before the pixels are read or decompressed, and a gzip file's CRC-32 and length
    /// trailer must match its content.</summary>
    /// <param name="maxSide">The largest image side accepted (<see cref="DefaultMaxSide"/> by default).</param>
    /// <exception cref="InvalidDataException">Wrong magic, bad or oversized dimensions, truncated or trailing data,
    /// a corrupt gzip stream or trailer.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder or cannot be read.</exception>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path, int maxSide = DefaultMaxSide)
    {
        if (maxSide < 1) throw new ArgumentOutOfRangeException(nameof(maxSide), maxSide, "Idx.ReadImages: the largest image side must be at least 1.");
        int count = 0, rows = 0, cols = 0;
        var pixels = IdxStream.Read(path, 16, "image", ImagesMagic, "an image file (unsigned bytes, rank 3)", header =>
        {
            (count, rows, cols) = (Field(header, 4), Field(header, 8), Field(header, 12));
            if (count < 0 || rows <= 0 || cols <= 0)
                throw DataFormat.Error(path, $"the header declares {count} images of {rows}×{cols} pixels, which is impossible.");
            if (rows > maxSide || cols > maxSide)
                throw DataFormat.Error(path, $"the header declares images of {rows}×{cols} pixels, larger than the {maxSide}×{maxSide} allowed (raise the bound only if the network and memory can take such images).");
            var bytes = (long)count * rows * cols;
            if (bytes > Array.MaxLength)
                throw DataFormat.Error(path, $"the header declares {count:N0} images of {rows}×{cols} pixels ({bytes:N0} bytes), more than one array can hold.");
            return (bytes, $"{count} images of {rows}×{cols} pixels");
        });
        return (count, rows, cols, pixels);
    }

    /// <summary>Reads a label file: one byte per sample.</summary>
    /// <exception cref="InvalidDataException">Wrong magic, truncated or trailing data, a corrupt gzip stream or trailer.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The path is a folder or cannot be read.</exception>
    public static byte[] ReadLabels(string path) =>
        IdxStream.Read(path, 8, "label", LabelsMagic, "a label file (unsigned bytes, rank 1)", header =>
        {
            var count = Field(header, 4);
            if (count < 0)
                throw DataFormat.Error(path, $"the header declares {count} labels.");
            return (count, $"{count} labels");
        });

    /// <summary>Reads an image file and its label file into one single-channel <see cref="Dataset"/>, checking that
    /// the counts agree and every label is below <paramref name="classes"/>.</summary>
    /// <param name="limit">Keep only the first <paramref name="limit"/> samples (null: all).</param>
    /// <param name="maxSide">The largest image side accepted (see <see cref="ReadImages"/>).</param>
    public static Dataset ReadDataset(string imagesPath, string labelsPath, int classes, int? limit = null, int maxSide = DefaultMaxSide)
    {
        var (count, rows, cols, pixels) = ReadImages(imagesPath, maxSide);
        var labels = ReadLabels(labelsPath);
        if (labels.Length != count)
            throw DataFormat.Error(labelsPath, $"holds {labels.Length} labels but {imagesPath} holds {count} images; the two files must come from the same split.");
        for (var i = 0; i < labels.Length; i++)
            if (labels[i] >= classes)
                throw DataFormat.Error(labelsPath, $"label {i} is {labels[i]}, but there are only {classes} classes (0..{classes - 1}).");
        var data = Dataset.Wrap(Shape.Image(1, rows, cols), pixels, labels, classes);
        return limit is { } n ? data.Take(n) : data;
    }

    /// <summary>The message for a wrong magic number, pointing out swapped image and label files.</summary>
    internal static string WrongMagic(int found, int expected, string what) =>
        $"magic number is 0x{found:X8} ({found}) but {what} starts with 0x{expected:X8} ({expected}); " +
        (found == LabelsMagic || found == ImagesMagic ? "the image and label files look swapped." : "this is not an IDX file of that kind.");

    private static int Field(byte[] header, int offset) => BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(offset, 4));
}
