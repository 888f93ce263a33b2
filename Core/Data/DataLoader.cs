using Functional.Random;

namespace Functional.Data;

/// <summary>One mini-batch: inputs N×… (for images N×C×H×W, normalised, augmented) and their labels or targets.</summary>
/// <param name="Images">The float inputs of the batch, N×sample shape.</param>
/// <param name="Labels">The class of each sample; a fresh array owned by the caller (empty when the batch has <see cref="Targets"/>).</param>
/// <param name="Indices">Which dataset sample each row came from (for inspection and tests).</param>
public sealed record Batch(Tensor Images, int[] Labels, int[] Indices)
{
    /// <summary>Number of samples in the batch (the last batch of an epoch may be smaller).</summary>
    public int Count => Indices.Length;

    /// <summary>Float targets N×… for a regression loss such as <c>Loss.Mse</c>, or null when the batch has class labels.</summary>
    public Tensor? Targets { get; init; }
}

/// <summary>
/// An immutable recipe that turns a byte <see cref="Dataset"/> into float mini-batches: optional seeded shuffling
/// (a fresh permutation per epoch), per-channel normalisation and seeded augmentation. Batches are built lazily one
/// at a time, so memory holds the byte dataset plus the batches the caller keeps, never a float copy of everything.
/// The same key, epoch and settings always give the same batches, on any machine and for any thread count.
/// </summary>
public sealed class DataLoader : IBatchSource
{
    private readonly Key? shuffleKey;
    private readonly Key augmentKey;

    private DataLoader(Dataset data, int batchSize, bool dropLast, Key? shuffleKey, Normalization normalization, Augmentation augmentation, Key augmentKey)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "DataLoader: the batch size must be at least 1.");
        if (normalization.Mean.Length != data.SampleShape[0])
            throw new ArgumentException($"DataLoader: the normalisation has {normalization.Mean.Length} channels but the samples are {data.SampleShape} ({data.SampleShape[0]} channels).");
        if (augmentation.CropPadding < 0 || augmentation.CropPadding > Math.Min(data.SampleShape[1], data.SampleShape[2]))
            throw new ArgumentOutOfRangeException(nameof(augmentation), augmentation.CropPadding, $"DataLoader: crop padding must be between 0 and the image side ({data.SampleShape}).");
        Data = data;
        BatchSize = batchSize;
        DropLast = dropLast;
        this.shuffleKey = shuffleKey;
        Normalization = normalization;
        Augmentation = augmentation;
        this.augmentKey = augmentKey;
    }

    /// <summary>Batches of <paramref name="batchSize"/> samples in dataset order, scaled to [0, 1], no augmentation.</summary>
    public static DataLoader Over(Dataset data, int batchSize) =>
        new(data, batchSize, false, null, Normalization.Unit(data.SampleShape[0]), Augmentation.None, default);

    /// <summary>The dataset the batches come from.</summary>
    public Dataset Data { get; }

    /// <summary>Samples per batch (the last batch may hold fewer unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether a final incomplete batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>Whether each epoch visits the samples in a fresh seeded order.</summary>
    public bool IsShuffled => shuffleKey.HasValue;

    /// <summary>The normalisation applied to every batch.</summary>
    public Normalization Normalization { get; }

    /// <summary>The augmentation applied to every sample.</summary>
    public Augmentation Augmentation { get; }

    /// <summary>Number of batches per epoch: a batch size larger than the data gives one batch holding everything
    /// (none with <see cref="DropLast"/>).</summary>
    // Count + BatchSize − 1 would overflow for a batch size near int.MaxValue and give no batches at all.
    public int BatchCount => Data.Count / BatchSize + (!DropLast && Data.Count % BatchSize != 0 ? 1 : 0);

    /// <summary>Number of samples per epoch (all of them, or the whole batches only with <see cref="DropLast"/>).</summary>
    public int SampleCount => DropLast ? BatchCount * BatchSize : Data.Count;

    /// <summary>The same loader, visiting samples in a permutation drawn from <paramref name="key"/>.Split(epoch).</summary>
    public DataLoader Shuffled(Key key) => new(Data, BatchSize, DropLast, key, Normalization, Augmentation, augmentKey);

    /// <summary>The same loader with another normalisation, e.g. <c>Normalization.Of(train)</c>.</summary>
    public DataLoader Normalized(Normalization normalization) => new(Data, BatchSize, DropLast, shuffleKey, normalization, Augmentation, augmentKey);

    /// <summary>The same loader with augmentation whose random choices come from <paramref name="key"/>
    /// (per epoch and per dataset sample, so they do not depend on the batch size or order).</summary>
    public DataLoader Augmented(Augmentation augmentation, Key key) => new(Data, BatchSize, DropLast, shuffleKey, Normalization, augmentation, key);

    /// <summary>The same loader, skipping (or keeping) a final incomplete batch.</summary>
    public DataLoader WithDropLast(bool dropLast = true) => new(Data, BatchSize, dropLast, shuffleKey, Normalization, Augmentation, augmentKey);

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the dataset's samples.</summary>
    public int[] Order(int epoch)
    {
        if (shuffleKey is { } key) return key.Split(epoch).Permutation(Data.Count);
        var order = new int[Data.Count];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        return order;
    }

    /// <summary>The batches of epoch <paramref name="epoch"/> (0-based), built lazily one at a time.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        var order = Order(epoch);
        for (var b = 0; b < BatchCount; b++)
        {
            var start = b * BatchSize;
            yield return Build(order.AsSpan(start, Math.Min(BatchSize, order.Length - start)), epoch);
        }
    }

    /// <summary>
    /// The batch of the dataset samples <paramref name="indices"/>, in that order, normalised and augmented as epoch
    /// <paramref name="epoch"/> would: for samplers that choose their own order, such as a distributed shard.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset.</exception>
    public Batch BatchOf(ReadOnlySpan<int> indices, int epoch)
    {
        foreach (var i in indices)
            if ((uint)i >= (uint)Data.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), i, $"DataLoader: sample {i} is outside the dataset of {Data.Count}.");
        return Build(indices, epoch);
    }

    private Batch Build(ReadOnlySpan<int> indices, int epoch)
    {
        var shape = Data.SampleShape;
        int channels = shape[0], height = shape[1], width = shape[2], size = shape.Count, plane = height * width;
        var images = new float[indices.Length * size];
        var labels = new int[indices.Length];
        var epochKey = augmentKey.Split(epoch);
        var augment = Augmentation != Augmentation.None;
        for (var i = 0; i < indices.Length; i++)
        {
            var dest = images.AsSpan(i * size, size);
            var src = Data.Sample(indices[i]);
            if (augment)
                Augmentation.Apply(src, dest, channels, height, width, Augmentation.CropPadding, Augmentation.Choose(epochKey.Split(indices[i])));
            else
                for (var j = 0; j < size; j++) dest[j] = src[j];
            for (var c = 0; c < channels; c++)
            {
                float mean = Normalization.Mean[c], std = Normalization.Std[c];
                foreach (ref var v in dest.Slice(c * plane, plane)) v = (v / 255f - mean) / std;
            }
            labels[i] = Data.Label(indices[i]);
        }
        return new Batch(Tensor.Wrap(shape.WithBatch(indices.Length), images), labels, indices.ToArray());
    }
}
