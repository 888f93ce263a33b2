using Functional.Random;

namespace Functional.Data;

/// <summary>
/// Mini-batches of a <see cref="TensorDataset"/>: in dataset order, or in a fresh permutation per epoch drawn from
/// a key (<c>key.Split(epoch)</c>, as <see cref="DataLoader"/>), so the same key and epoch give the same batches.
/// </summary>
public sealed class TensorLoader : IBatchSource
{
    private readonly Key? shuffleKey;

    private TensorLoader(TensorDataset data, int batchSize, Key? shuffleKey)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "TensorLoader: the batch size must be at least 1.");
        Data = data;
        BatchSize = batchSize;
        this.shuffleKey = shuffleKey;
    }

    /// <summary>Batches of <paramref name="batchSize"/> samples in dataset order.</summary>
    public static TensorLoader Over(TensorDataset data, int batchSize) => new(data, batchSize, null);

    /// <summary>The same loader, visiting samples in a permutation drawn from <paramref name="key"/>.Split(epoch).</summary>
    public TensorLoader Shuffled(Key key) => new(Data, BatchSize, key);

    /// <summary>The dataset the batches come from.</summary>
    public TensorDataset Data { get; }

    /// <inheritdoc />
    public int BatchSize { get; }

    /// <inheritdoc />
    public int BatchCount => (Data.Count + BatchSize - 1) / BatchSize;

    /// <inheritdoc />
    public int SampleCount => Data.Count;

    /// <inheritdoc />
    public IEnumerable<Batch> Epoch(int epoch)
    {
        var order = shuffleKey is { } key ? key.Split(epoch).Permutation(Data.Count) : Enumerable.Range(0, Data.Count).ToArray();
        for (var start = 0; start < order.Length; start += BatchSize)
            yield return Data.Gather(order.AsSpan(start, Math.Min(BatchSize, order.Length - start)));
    }
}
