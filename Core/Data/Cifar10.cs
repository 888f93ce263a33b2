namespace Functional.Data;

/// <summary>
/// CIFAR-10 in its binary format: files of 10,000 records, each one label byte followed by 3072 pixel bytes
/// (1024 red, 1024 green, 1024 blue, each 32×32 row-major), which is already the C×H×W layout.
/// </summary>
public static class Cifar10
{
    /// <summary>Bytes in one record: the label plus 3×32×32 pixels.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>Reads one or more batch files (e.g. data_batch_1.bin … data_batch_5.bin) into one dataset.</summary>
    /// <exception cref="InvalidDataException">A file's length is not a whole number of records, or a label is above 9.</exception>
    public static Dataset ReadBatches(params string[] paths)
    {
        var parts = paths.Select(ReadBatch).ToList();
        var n = parts.Sum(p => p.Labels.Length);
        var pixels = new byte[n * (RecordSize - 1)];
        var labels = new byte[n];
        var at = 0;
        foreach (var (l, p) in parts)
        {
            l.CopyTo(labels, at);
            p.CopyTo(pixels, at * (RecordSize - 1));
            at += l.Length;
        }
        return Dataset.Wrap(Shape.Image(3, 32, 32), pixels, labels, 10);
    }

    /// <summary>Reads the standard folder layout: data_batch_1..5.bin for training, test_batch.bin for testing.</summary>
    public static Splits Load(string directory) => new(
        ReadBatches(Enumerable.Range(1, 5).Select(i => Path.Combine(directory, $"data_batch_{i}.bin")).ToArray()),
        ReadBatches(Path.Combine(directory, "test_batch.bin")));

    private static (byte[] Labels, byte[] Pixels) ReadBatch(string path)
    {
        var bytes = IdxStream.ReadAll(path, "CIFAR-10 batch", 200L << 20);   // a batch is 30 MB
        if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
            throw DataFormat.Error(path, $"is {bytes.Length:N0} bytes long, not a positive multiple of the {RecordSize}-byte CIFAR-10 record " +
                $"({bytes.Length / RecordSize} whole records and {bytes.Length % RecordSize} stray bytes; truncated, or not a CIFAR-10 binary batch).");
        var n = bytes.Length / RecordSize;
        var labels = new byte[n];
        var pixels = new byte[n * (RecordSize - 1)];
        for (var i = 0; i < n; i++)
        {
            var label = bytes[i * RecordSize];
            if (label > 9)
                throw DataFormat.Error(path, $"record {i} has label {label}; CIFAR-10 labels are 0..9 (a CIFAR-100 file has two label bytes per record).");
            labels[i] = label;
            bytes.AsSpan(i * RecordSize + 1, RecordSize - 1).CopyTo(pixels.AsSpan(i * (RecordSize - 1)));
        }
        return (labels, pixels);
    }
}
