using System.Diagnostics;
using Functional.Data;
using Xunit;

namespace Functional.Tests.Hardening;

/// <summary>IDX files are checked header first, bounded by what the header declares, and a gzip file's trailer must
/// match: a missing trailer, garbage after the stream, a wrong CRC, a bomb and huge images are each one clear error.</summary>
public sealed class IdxHardeningTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    /// <summary>The 16-byte header of an image file declaring <paramref name="count"/> images, without pixels.</summary>
    internal static byte[] Header(int count, int rows, int cols)
    {
        var b = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b, Idx.ImagesMagic);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(4), count);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(8), rows);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(b.AsSpan(12), cols);
        return b;
    }

    private byte[] Labels() => Scratch.Gzip(DataIdxTests.IdxLabels(1, 2, 3, 4));

    [Fact]
    public void A_gzip_file_without_its_trailer_is_rejected()
    {
        var bytes = Labels();
        var path = scratch.Write("l.gz", bytes[..^8]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("gzip", e.Message);
    }

    [Fact]
    public void A_gzip_file_with_garbage_after_the_stream_is_rejected()
    {
        var path = scratch.Write("l.gz", [.. Labels(), 0x00, 0x13, 0x37, 0x42]);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));
        Assert.StartsWith(path + ": ", e.Message);
    }

    [Fact]
    public void A_gzip_file_whose_crc_does_not_match_is_rejected()
    {
        var bytes = Labels();
        bytes[^8] ^= 0x01;   // first byte of the stored CRC-32
        var path = scratch.Write("l.gz", bytes);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("gzip", e.Message);
    }

    [Fact]
    public void The_fixture_still_reads_with_its_trailers_checked()
    {
        var splits = FashionMnist.Load(Scratch.Fixture);
        Assert.Equal((500, 200), (splits.Train.Count, splits.Test.Count));
    }

    [Fact]
    public void A_gzip_bomb_is_stopped_one_byte_past_the_declared_size()
    {
        // The header declares 4 labels; 256 MiB of zeros follow (256 KiB compressed). Reading it all used gigabytes
        // before "Stream was too long".
        var content = new byte[(256 << 20) + 12];
        DataIdxTests.IdxLabels(1, 2, 3, 4).CopyTo(content, 0);
        var path = scratch.Write("bomb.gz", Scratch.Gzip(content));
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 << 20, "read far past the declared size");
        Assert.Contains("bytes of data after the 4 labels its header declares", e.Message);
    }

    [Fact]
    public void Images_larger_than_the_bound_are_refused_from_the_header_alone()
    {
        var header = Header(1, 4096, 4096);   // the pixels are not even there
        var path = scratch.Write("big", header);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Contains("images of 4096×4096 pixels, larger than the 512×512 allowed", e.Message);
        var small = scratch.Write("small", DataIdxTests.IdxImages(1, 40, 30));
        Assert.Contains("larger than the 32×32 allowed", Assert.Throws<InvalidDataException>(() => Idx.ReadImages(small, maxSide: 32)).Message);
        Assert.Equal(40, Idx.ReadImages(small, maxSide: 40).Rows);
    }

    [Fact]
    public void A_header_declaring_more_than_an_array_holds_is_refused_before_allocating()
    {
        var path = scratch.Write("many", Header(int.MaxValue, 2, 2));
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Contains("more than one array can hold", e.Message);
    }

    [Fact]
    public void An_empty_split_or_images_of_two_sizes_are_rejected_naming_the_files()
    {
        var empty = scratch.DataCopy("empty");
        var (images, labels) = Scratch.Idx(0);
        File.WriteAllBytes(Path.Combine(empty, FashionMnist.TrainImages), images);
        File.WriteAllBytes(Path.Combine(empty, FashionMnist.TrainLabels), labels);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(empty));
        Assert.Equal($"{Path.Combine(empty, FashionMnist.TrainImages)}: holds no images; the training split needs at least one.", e.Message);

        var mixed = scratch.DataCopy("mixed");
        (images, labels) = Scratch.Idx(3, 32, 32);
        File.WriteAllBytes(Path.Combine(mixed, FashionMnist.TestImages), images);
        File.WriteAllBytes(Path.Combine(mixed, FashionMnist.TestLabels), labels);
        e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(mixed));
        Assert.Contains($"{Path.Combine(mixed, FashionMnist.TestImages)}: holds images of 1×32×32 but {Path.Combine(mixed, FashionMnist.TrainImages)} holds 1×28×28", e.Message);
    }

    [Fact]
    public void A_folder_or_a_device_given_as_an_idx_file_is_one_clear_error()
    {
        Assert.Equal($"{scratch.Dir}: is a folder, not a file (IDX label file expected).", Assert.Throws<IOException>(() => Idx.ReadLabels(scratch.Dir)).Message);
        var e = Assert.Throws<InvalidDataException>(() => Idx.ReadLabels("/dev/zero"));
        Assert.Contains("magic number is 0x00000000", e.Message);
    }
}
