using System.Buffers.Binary;
using System.IO.Compression;
using Functional.Data;
using Xunit;

namespace Functional.Tests;

public sealed class DataIdxTests : IDisposable
{
    private static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");
    private readonly string dir = Directory.CreateTempSubdirectory("idx-tests").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    internal static byte[] IdxImages(int count, int rows, int cols, Func<int, byte>? pixel = null, int magic = Idx.ImagesMagic)
    {
        var b = new byte[16 + count * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), cols);
        for (var i = 16; i < b.Length; i++) b[i] = pixel?.Invoke(i - 16) ?? (byte)(i * 7);
        return b;
    }

    internal static byte[] IdxLabels(params byte[] labels)
    {
        var b = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(0), Idx.LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), labels.Length);
        labels.CopyTo(b, 8);
        return b;
    }

    private string Write(string name, byte[] content, bool gzip)
    {
        var path = Path.Combine(dir, name);
        if (!gzip) { File.WriteAllBytes(path, content); return path; }
        using var f = File.Create(path);
        using var gz = new GZipStream(f, CompressionLevel.Fastest);
        gz.Write(content);
        return path;
    }

    [Fact]
    public void Fixture_loads_with_real_fashion_mnist_labels_and_pixels()
    {
        var (train, test) = FashionMnist.Load(FixtureDir);
        Assert.Equal(500, train.Count);
        Assert.Equal(200, test.Count);
        Assert.Equal(Shape.Image(1, 28, 28), train.SampleShape);
        Assert.Equal(10, train.Classes);
        // The published first training labels of Fashion-MNIST: ankle boot, T-shirt, T-shirt, dress, T-shirt.
        Assert.Equal([9, 0, 0, 3, 0], train.Labels[..5].ToArray());
        Assert.Equal([9, 2, 1, 1, 6], test.Labels[..5].ToArray());
        // Images are real pictures: a dark border and a bright object in the middle.
        var first = train.Sample(0);
        Assert.Equal(0, first[0]);
        Assert.True(first.ToArray().Max() > 200);
        Assert.Equal(Enumerable.Range(0, 10), train.Labels.ToArray().Select(l => (int)l).Distinct().Order());
    }

    [FactWhenFashionMnistInstalled]
    public void Full_dataset_on_this_machine_has_the_published_sizes()
    {
        var (train, test) = FashionMnist.Load(FashionMnist.DebianDirectory, trainLimit: 1000);
        Assert.Equal(1000, train.Count);
        Assert.Equal(10000, test.Count);
        // The fixture is the head of the real data, byte for byte.
        var small = FashionMnist.Load(FixtureDir).Train;
        Assert.True(small.Pixels.SequenceEqual(train.Pixels[..small.Pixels.Length]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_gzipped_and_plain_files_alike(bool gzip)
    {
        var images = Write("i", IdxImages(3, 2, 4), gzip);
        var labels = Write("l", IdxLabels(1, 0, 2), gzip);
        var data = Idx.ReadDataset(images, labels, classes: 3);
        Assert.Equal(3, data.Count);
        Assert.Equal(Shape.Image(1, 2, 4), data.SampleShape);
        Assert.Equal(IdxImages(3, 2, 4)[16..], data.Pixels.ToArray());
        Assert.Equal(2, data.Label(2));
    }

    [Fact]
    public void Truncated_image_file_is_one_clear_error()
    {
        var full = IdxImages(5, 28, 28);
        var path = Write("train-images-idx3-ubyte.gz", full[..(full.Length - 100)], gzip: true);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.Contains("5 images of 28×28", e.Message);
    }

    [Fact]
    public void Truncated_gzip_stream_is_one_clear_error()
    {
        var path = Write("x.gz", IdxImages(50, 28, 28, i => (byte)(i * 31 % 251)), gzip: true);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void File_shorter_than_the_header_is_one_clear_error()
    {
        var path = Write("short", IdxImages(1, 2, 2)[..10], gzip: false);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Contains("shorter than the 16-byte header", e.Message);
    }

    [Fact]
    public void Wrong_magic_is_one_clear_error_and_spots_swapped_files()
    {
        var images = Write("i", IdxImages(2, 2, 2), gzip: true);
        var labels = Write("l", IdxLabels(0, 1), gzip: true);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadDataset(labels, images, 10));
        Assert.Contains("magic number is 0x00000801 (2049)", e.Message);
        Assert.Contains("swapped", e.Message);
        var junk = Write("junk", IdxImages(2, 2, 2, magic: 0x12345678), gzip: false);
        var e2 = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(junk));
        Assert.Contains("not an IDX file", e2.Message);
    }

    [Fact]
    public void Trailing_garbage_is_one_clear_error()
    {
        var path = Write("l", [.. IdxLabels(1, 2, 3), 0xFF, 0xFF], gzip: true);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));
        Assert.Contains("2 bytes of trailing data", e.Message);
    }

    [Fact]
    public void Label_count_differing_from_image_count_is_one_clear_error()
    {
        var images = Write("i", IdxImages(3, 2, 2), gzip: true);
        var labels = Write("l", IdxLabels(0, 1), gzip: true);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadDataset(images, labels, 10));
        Assert.StartsWith(labels + ":", e.Message);
        Assert.Contains("holds 2 labels but", e.Message);
        Assert.Contains("holds 3 images", e.Message);
    }

    [Fact]
    public void Label_out_of_class_range_is_one_clear_error()
    {
        var images = Write("i", IdxImages(2, 2, 2), gzip: false);
        var labels = Write("l", IdxLabels(0, 10), gzip: false);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadDataset(images, labels, 10));
        Assert.Contains("label 1 is 10", e.Message);
    }

    [Fact]
    public void Missing_file_names_the_file()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(dir));
        Assert.Contains(FashionMnist.TrainImages, e.Message);
        Assert.False(FashionMnist.Exists(dir));
    }

    [Fact]
    public void Negative_dimensions_are_rejected_before_allocating()
    {
        var path = Write("i", IdxImages(0, 2, 2), gzip: false);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), -1);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("impossible", Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path)).Message);
    }
}
