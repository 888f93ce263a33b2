namespace Functional.Distributed;

/// <summary>
/// Which samples each rank trains on in an epoch, with the semantics of PyTorch's <c>DistributedSampler</c>:
/// every rank draws the same epoch order, the order is padded at its end by repeating its first samples until its
/// length is a multiple of the rank count, and rank r takes positions r, r + size, r + 2·size, … of it. The
/// shards are disjoint apart from the padding, together cover every sample, and are equally long, so every rank
/// runs the same number of steps (a rank with fewer would leave the others waiting in an allreduce).
/// </summary>
public static class DistributedSampler
{
    /// <summary>Samples per rank for a dataset of <paramref name="count"/>: ⌈count / size⌉.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative or the size below 1.</exception>
    public static int ShardLength(int count, int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return (int)(((long)count + size - 1) / size);
    }

    /// <summary>Rank <paramref name="rank"/>'s shard of the epoch order <paramref name="order"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rank is not in 0 … size − 1, or the order is empty while
    /// there are ranks to feed.</exception>
    public static int[] Shard(ReadOnlySpan<int> order, int rank, int size)
    {
        var length = ShardLength(order.Length, size);
        if (rank < 0 || rank >= size)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"DistributedSampler: rank must be in 0 … {size - 1}.");
        if (order.Length == 0)
            throw new ArgumentOutOfRangeException(nameof(order), "DistributedSampler: there are no samples to share out.");
        var shard = new int[length];
        for (var i = 0; i < length; i++)
        {
            // Position in the padded order; past the end it wraps to the start, as DDP's padding repeats the first samples.
            var position = (long)i * size + rank;
            shard[i] = order[(int)(position % order.Length)];
        }
        return shard;
    }
}
