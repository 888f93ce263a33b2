namespace Functional.Data;

/// <summary>
/// An immutable labelled image dataset held as raw bytes: N samples of shape C×H×W (pixel values 0–255, row-major
/// NCHW) and one label per sample. Keeping bytes rather than floats is what lets a 60,000-image training set live
/// in 47 MB; <see cref="DataLoader"/> converts a few samples at a time into float batches.
/// </summary>
public sealed class Dataset
{
    private readonly byte[] pixels;
    private readonly byte[] labels;

    private Dataset(Shape sampleShape, byte[] pixels, byte[] labels, int classes)
    {
        if (sampleShape.Rank != 3)
            throw new ShapeException($"Dataset: the sample shape must be C×H×W, got {sampleShape}.");
        if (classes is < 1 or > 256)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "Dataset: labels are bytes, so there must be 1 to 256 classes.");
        if ((long)labels.Length * sampleShape.Count != pixels.Length)
            throw new ShapeException($"Dataset: {pixels.Length:N0} pixel bytes do not hold {labels.Length:N0} samples of {sampleShape} ({(long)labels.Length * sampleShape.Count:N0} bytes).");
        SampleShape = sampleShape;
        this.pixels = pixels;
        this.labels = labels;
        Classes = classes;
    }

    /// <summary>A dataset holding copies of <paramref name="pixels"/> (N·C·H·W bytes, NCHW) and <paramref name="labels"/>.</summary>
    /// <exception cref="ShapeException">The byte counts do not match the sample shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is not below <paramref name="classes"/>.</exception>
    public static Dataset FromBytes(Shape sampleShape, ReadOnlySpan<byte> pixels, ReadOnlySpan<byte> labels, int classes)
    {
        for (var i = 0; i < labels.Length; i++)
            if (labels[i] >= classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"Dataset: label {i} is {labels[i]} but there are {classes} classes.");
        return new(sampleShape, pixels.ToArray(), labels.ToArray(), classes);
    }

    /// <summary>Takes ownership of freshly read arrays without copying (labels already validated).</summary>
    internal static Dataset Wrap(Shape sampleShape, byte[] pixels, byte[] labels, int classes) => new(sampleShape, pixels, labels, classes);

    /// <summary>The shape of one sample, C×H×W.</summary>
    public Shape SampleShape { get; }

    /// <summary>Number of samples.</summary>
    public int Count => labels.Length;

    /// <summary>Number of classes; every label is in 0..Classes−1.</summary>
    public int Classes { get; }

    /// <summary>All pixels, N·C·H·W bytes in NCHW order.</summary>
    public ReadOnlySpan<byte> Pixels => pixels;

    /// <summary>All labels, one byte per sample.</summary>
    public ReadOnlySpan<byte> Labels => labels;

    /// <summary>The pixels of sample <paramref name="index"/> (C·H·W bytes).</summary>
    public ReadOnlySpan<byte> Sample(int index)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Dataset: sample {index} does not exist; there are {Count}.");
        return pixels.AsSpan(index * SampleShape.Count, SampleShape.Count);
    }

    /// <summary>The label of sample <paramref name="index"/>.</summary>
    public int Label(int index) => (uint)index < (uint)Count
        ? labels[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Dataset: sample {index} does not exist; there are {Count}.");

    /// <summary>The first <paramref name="count"/> samples (all of them when there are fewer).</summary>
    public Dataset Take(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Dataset.Take: the count must be ≥ 0.");
        if (count >= Count) return this;
        return new(SampleShape, pixels.AsSpan(0, count * SampleShape.Count).ToArray(), labels.AsSpan(0, count).ToArray(), Classes);
    }

    /// <summary>The samples at <paramref name="indices"/>, in that order (e.g. a validation split).</summary>
    public Dataset Select(ReadOnlySpan<int> indices)
    {
        var size = SampleShape.Count;
        var p = new byte[indices.Length * size];
        var l = new byte[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            Sample(indices[i]).CopyTo(p.AsSpan(i * size, size));
            l[i] = labels[indices[i]];
        }
        return new(SampleShape, p, l, Classes);
    }

    /// <summary>Samples start..start+count−1 as an N×C×H×W tensor scaled to [0, 1] (for pictures and a
    /// evaluation of a handful of samples; training goes through <see cref="DataLoader"/>).</summary>
    public Tensor Images(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"Dataset.Images: samples {start}..{start + count - 1} are outside 0..{Count - 1}.");
        var size = SampleShape.Count;
        var data = new float[count * size];
        var src = pixels.AsSpan(start * size, count * size);
        for (var i = 0; i < data.Length; i++) data[i] = src[i] / 255f;   // as torchvision, so inputs match PyTorch bit for bit
        return Tensor.Wrap(SampleShape.WithBatch(count), data);
    }

    /// <summary>Size and class count, e.g. <c>Dataset 60000 × 1×28×28, 10 classes</c>.</summary>
    public override string ToString() => $"Dataset {Count} × {SampleShape}, {Classes} classes";
}
