using Functional.Data;
using Functional.Random;
using Xunit;

namespace Functional.Tests;

public class DataLoaderTests
{
    // 23 samples of 2×4×5 whose pixels encode (sample, channel, y, x), so every value can be traced back.
    private static Dataset Synthetic(int n = 23, int c = 2, int h = 4, int w = 5)
    {
        var pixels = new byte[n * c * h * w];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(1 + i % 251);
        var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 7)).ToArray();
        return Dataset.FromBytes(Shape.Image(c, h, w), pixels, labels, 7);
    }

    private static float[] Flat(IEnumerable<Batch> batches) => batches.SelectMany(b => b.Images.ToArray()).ToArray();

    [Fact]
    public void Same_key_and_epoch_give_identical_batches_and_other_epochs_or_keys_differ()
    {
        var data = Synthetic();
        var a = DataLoader.Over(data, 4).Shuffled(Key.FromSeed(7)).Augmented(Augmentation.CropAndFlip(1), Key.FromSeed(8));
        var b = DataLoader.Over(data, 4).Shuffled(Key.FromSeed(7)).Augmented(Augmentation.CropAndFlip(1), Key.FromSeed(8));
        Assert.Equal(Flat(a.Epoch(3)), Flat(b.Epoch(3)));
        Assert.Equal(a.Epoch(3).SelectMany(x => x.Labels), b.Epoch(3).SelectMany(x => x.Labels));
        Assert.NotEqual(a.Order(3), a.Order(4));
        Assert.NotEqual(a.Order(3), DataLoader.Over(data, 4).Shuffled(Key.FromSeed(9)).Order(3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(23)]
    [InlineData(64)]
    public void Every_sample_is_seen_exactly_once_per_epoch_and_the_last_batch_is_partial(int batchSize)
    {
        var data = Synthetic();
        var loader = DataLoader.Over(data, batchSize).Shuffled(Key.FromSeed(1));
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var batches = loader.Epoch(epoch).ToList();
            Assert.Equal(loader.BatchCount, batches.Count);
            Assert.Equal(Enumerable.Range(0, 23), batches.SelectMany(b => b.Indices).Order());
            Assert.All(batches[..^1], b => Assert.Equal(batchSize, b.Count));
            Assert.Equal(23 - (batches.Count - 1) * batchSize, batches[^1].Count);
            Assert.Equal(Shape.Images(batches[^1].Count, 2, 4, 5), batches[^1].Images.Shape);
            foreach (var b in batches)
                Assert.Equal(b.Indices.Select(i => data.Label(i)), b.Labels);
        }
    }

    [Fact]
    public void Drop_last_skips_the_incomplete_batch()
    {
        var loader = DataLoader.Over(Synthetic(), 5).WithDropLast();
        Assert.Equal(4, loader.BatchCount);
        Assert.Equal(20, loader.SampleCount);
        Assert.All(loader.Epoch(0), b => Assert.Equal(5, b.Count));
    }

    [Fact]
    public void Unshuffled_batches_follow_dataset_order_and_scale_to_unit_range()
    {
        var data = Synthetic();
        var first = DataLoader.Over(data, 3).Epoch(0).First();
        Assert.Equal([0, 1, 2], first.Indices);
        var expected = data.Pixels[..(3 * 40)].ToArray().Select(p => p / 255f).ToArray();
        Assert.Equal(expected, first.Images.ToArray(), (x, y) => MathF.Abs(x - y) < 1e-6f);
    }

    [Fact]
    public void Normalisation_uses_per_channel_statistics_and_centres_the_data()
    {
        var data = Synthetic();
        var norm = Normalization.Of(data);
        var all = DataLoader.Over(data, 100).Normalized(norm).Epoch(0).Single().Images;
        for (var c = 0; c < 2; c++)
        {
            var values = Enumerable.Range(0, 23).SelectMany(n => Enumerable.Range(0, 20).Select(j => (double)all.Span[(n * 2 + c) * 20 + j])).ToArray();
            var mean = values.Average();
            var std = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
            Assert.InRange(mean, -1e-5, 1e-5);
            Assert.InRange(std, 1 - 1e-4, 1 + 1e-4);
        }
        var manual = Normalization.PerChannel([0.5f, 0.25f], [0.5f, 2f]);
        var one = DataLoader.Over(data, 1).Normalized(manual).Epoch(0).First().Images;
        Assert.Equal((data.Sample(0)[0] / 255f - 0.5f) / 0.5f, one.Span[0], 5);
        Assert.Equal((data.Sample(0)[20] / 255f - 0.25f) / 2f, one.Span[20], 5);
    }

    [Fact]
    public void Fixture_statistics_are_those_of_fashion_mnist()
    {
        var train = FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small")).Train;
        var norm = Normalization.Of(train);
        Assert.InRange(norm.Mean[0], 0.25f, 0.33f);    // full training set: 0.2860
        Assert.InRange(norm.Std[0], 0.32f, 0.38f);     // full training set: 0.3530
    }

    [Fact]
    public void Each_augmented_sample_is_a_padded_crop_of_its_source_possibly_mirrored()
    {
        const int p = 2;
        var data = Synthetic(n: 40, c: 2, h: 6, w: 6);
        var loader = DataLoader.Over(data, 8).Shuffled(Key.FromSeed(3)).Augmented(Augmentation.CropAndFlip(p), Key.FromSeed(4));
        var offsets = new HashSet<(int, int)>();
        var flips = new HashSet<bool>();
        foreach (var batch in loader.Epoch(0))
            for (var i = 0; i < batch.Count; i++)
            {
                var got = batch.Images.Span.Slice(i * 72, 72).ToArray();
                var src = data.Sample(batch.Indices[i]).ToArray();
                var match = (from dy in Enumerable.Range(0, 2 * p + 1)
                             from dx in Enumerable.Range(0, 2 * p + 1)
                             from flip in new[] { false, true }
                             where Crop(src, dy - p, dx - p, flip).SequenceEqual(got)
                             select (dy, dx, flip)).ToList();
                Assert.NotEmpty(match);
                offsets.Add((match[0].dy, match[0].dx));
                flips.Add(match[0].flip);
            }
        Assert.Equal(2, flips.Count);          // both mirrored and plain samples occur
        Assert.True(offsets.Count >= 10, $"only {offsets.Count} of 25 crop offsets occurred in 40 samples");

        static float[] Crop(byte[] src, int oy, int ox, bool flip)
        {
            var r = new float[72];
            for (var c = 0; c < 2; c++)
                for (var y = 0; y < 6; y++)
                    for (var x = 0; x < 6; x++)
                    {
                        int sy = y + oy, sx = (flip ? 5 - x : x) + ox;
                        r[(c * 6 + y) * 6 + x] = sy is >= 0 and < 6 && sx is >= 0 and < 6 ? src[(c * 6 + sy) * 6 + sx] / 255f : 0f;
                    }
            return r;
        }
    }

    [Fact]
    public void Augmentation_of_a_sample_does_not_depend_on_batch_size_or_shuffling()
    {
        var data = Synthetic();
        var aug = Augmentation.CropAndFlip(1);
        var byIndex = (DataLoader l) => l.Epoch(2).SelectMany(b => b.Indices.Select((idx, i) => (idx, img: b.Images.Span.Slice(i * 40, 40).ToArray())))
            .OrderBy(t => t.idx).SelectMany(t => t.img).ToArray();
        var a = byIndex(DataLoader.Over(data, 3).Augmented(aug, Key.FromSeed(5)));
        var b = byIndex(DataLoader.Over(data, 7).Shuffled(Key.FromSeed(6)).Augmented(aug, Key.FromSeed(5)));
        Assert.Equal(a, b);
        var c = byIndex(DataLoader.Over(data, 3).Augmented(aug, Key.FromSeed(50)));
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void No_augmentation_and_no_padding_leave_images_unchanged()
    {
        var data = Synthetic();
        var plain = Flat(DataLoader.Over(data, 5).Epoch(0));
        var zero = Flat(DataLoader.Over(data, 5).Augmented(new Augmentation(0, false), Key.FromSeed(1)).Epoch(0));
        Assert.Equal(plain, zero);
    }

    [Fact]
    public void Bad_settings_are_clear_errors()
    {
        var data = Synthetic();
        Assert.Throws<ArgumentOutOfRangeException>(() => DataLoader.Over(data, 0));
        Assert.Contains("has 3 channels but the samples are 2×4×5", Assert.ThrowsAny<ArgumentException>(() => DataLoader.Over(data, 2).Normalized(Normalization.Unit(3))).Message);
        Assert.ThrowsAny<ArgumentException>(() => Normalization.PerChannel([0f], [0f]));
        Assert.ThrowsAny<ArgumentException>(() => DataLoader.Over(data, 2).Augmented(new Augmentation(-1), Key.FromSeed(1)));
        Assert.ThrowsAny<ArgumentException>(() => Dataset.FromBytes(Shape.Image(1, 2, 2), new byte[4], [9], 3));
    }
}
