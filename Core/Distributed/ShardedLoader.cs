using Functional.Data;

namespace Functional.Distributed;

/// <summary>
/// One rank's part of a <see cref="DataLoader"/>: each epoch it takes the loader's own order for that epoch (the
/// same seeded permutation on every rank), keeps this rank's <see cref="DistributedSampler.Shard"/> of it, and
/// batches that in <see cref="DataLoader.BatchSize"/>s, the per-rank ("local") batch size as in PyTorch's DDP. With
/// R ranks a step therefore trains on R × the batch size samples: the global batch. When the dataset is a multiple
/// of R × the batch size, the union of the ranks' batches at step t is exactly the single-process loader's batch
/// t at R × the batch size.
/// </summary>
public sealed class ShardedLoader : IBatchSource
{
    /// <summary>Rank <paramref name="rank"/> of <paramref name="size"/>'s part of <paramref name="loader"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rank is not in 0 … size − 1.</exception>
    /// <exception cref="ArgumentException">The loader drops its last batch: per-rank shards make that ambiguous, so
    /// only loaders that keep it are sharded.</exception>
    public ShardedLoader(DataLoader loader, int rank, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (rank < 0 || rank >= size)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"ShardedLoader: rank must be in 0 … {size - 1}.");
        if (loader.DropLast)
            throw new ArgumentException("ShardedLoader: the loader drops its last incomplete batch; shard a loader that keeps it.", nameof(loader));
        Loader = loader;
        Rank = rank;
        Size = size;
    }

    /// <summary>The loader every rank shares out.</summary>
    public DataLoader Loader { get; }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>The number of ranks.</summary>
    public int Size { get; }

    /// <inheritdoc />
    public int BatchSize => Loader.BatchSize;

    /// <inheritdoc />
    public int SampleCount => DistributedSampler.ShardLength(Loader.Data.Count, Size);

    /// <inheritdoc />
    public int BatchCount => SampleCount / BatchSize + (SampleCount % BatchSize != 0 ? 1 : 0);

    /// <summary>The dataset samples this rank visits in epoch <paramref name="epoch"/>, in order.</summary>
    public int[] Order(int epoch) => DistributedSampler.Shard(Loader.Order(epoch), Rank, Size);

    /// <inheritdoc />
    public IEnumerable<Batch> Epoch(int epoch)
    {
        var order = Order(epoch);
        for (var start = 0; start < order.Length; start += BatchSize)
            yield return Loader.BatchOf(order.AsSpan(start, Math.Min(BatchSize, order.Length - start)), epoch);
    }
}
