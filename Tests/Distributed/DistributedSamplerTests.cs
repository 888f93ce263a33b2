using Functional.Data;
using Functional.Distributed;
using Functional.Random;
using Xunit;

namespace Functional.Tests.Distributed;

/// <summary>Each rank's shard of an epoch: disjoint, covering, equally long, padded as PyTorch's DistributedSampler.</summary>
public sealed class DistributedSamplerTests
{
    private static readonly Splits Fixture = FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small"));

    [Theory]
    [InlineData(500, 2)]   // even: no padding
    [InlineData(499, 2)]   // one sample of padding
    [InlineData(10, 4)]    // two of padding
    [InlineData(3, 8)]     // more ranks than samples: the order repeats itself
    public void Shards_are_disjoint_cover_the_epoch_and_pad_with_its_first_samples(int count, int size)
    {
        var order = Key.FromSeed(count * 31 + size).Permutation(count);
        var shards = Enumerable.Range(0, size).Select(r => DistributedSampler.Shard(order, r, size)).ToArray();

        var length = (count + size - 1) / size;
        Assert.All(shards, s => Assert.Equal(length, s.Length));
        var all = shards.SelectMany(s => s).ToArray();
        Assert.Equal(Enumerable.Range(0, count), all.Distinct().Order());                 // the union is the dataset
        // Beyond the dataset, the padding is the epoch order's first samples, once each in turn.
        var padding = length * size - count;
        var counts = all.GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        var expectedExtra = Enumerable.Range(0, padding).Select(p => order[p % count]).GroupBy(i => i).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (sample, n) in counts)
            Assert.Equal(1 + expectedExtra.GetValueOrDefault(sample), n);
    }

    [Fact]
    public void Ranks_of_an_epoch_see_disjoint_samples_whose_union_is_the_training_set()
    {
        var data = Fixture.Train.Take(480);
        var loader = DataLoader.Over(data, 12).Shuffled(Key.FromSeed(5));
        var ranks = Enumerable.Range(0, 2).Select(r => new ShardedLoader(loader, r, 2)).ToArray();
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var seen = ranks.Select(r => r.Epoch(epoch).SelectMany(b => b.Indices).ToArray()).ToArray();
            Assert.Empty(seen[0].Intersect(seen[1]));
            Assert.Equal(Enumerable.Range(0, 480), seen[0].Concat(seen[1]).Order());
            Assert.All(ranks, r => Assert.Equal(20, r.BatchCount));
        }
        Assert.NotEqual(ranks[0].Order(0), ranks[0].Order(1));   // a fresh permutation each epoch
    }

    [Fact]
    public void Step_t_of_the_ranks_together_is_step_t_of_one_process_at_the_global_batch()
    {
        var data = Fixture.Train.Take(96);
        var key = Key.FromSeed(9);
        var single = DataLoader.Over(data, 24).Shuffled(key).Epoch(3).ToArray();
        var local = DataLoader.Over(data, 12).Shuffled(key);
        var perRank = Enumerable.Range(0, 2).Select(r => new ShardedLoader(local, r, 2).Epoch(3).ToArray()).ToArray();
        Assert.Equal(single.Length, perRank[0].Length);
        for (var t = 0; t < single.Length; t++)
        {
            Assert.Equal(single[t].Indices.Order(), perRank[0][t].Indices.Concat(perRank[1][t].Indices).Order());
            // The same sample gives the same normalised floats whichever loader built it.
            var i = perRank[1][t].Indices[0];
            var row = Array.IndexOf(single[t].Indices, i);
            Assert.Equal(single[t].Images.ToArray().AsSpan(row * 784, 784).ToArray(), perRank[1][t].Images.ToArray().AsSpan(0, 784).ToArray());
        }
    }

    [Fact]
    public void A_rank_outside_the_group_is_refused()
    {
        var loader = DataLoader.Over(Fixture.Train.Take(10), 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShardedLoader(loader, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DistributedSampler.Shard([1, 2, 3], -1, 2));
        Assert.Throws<ArgumentException>(() => new ShardedLoader(loader.WithDropLast(), 0, 2));
    }
}
