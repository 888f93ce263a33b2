using Functional.Pictures;
using Xunit;

namespace Functional.Tests;

public sealed class PicturesPngTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("png-tests").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static byte[] Noise(int n, int seed)
    {
        var key = Functional.Random.Key.FromSeed(seed);
        return Enumerable.Range(0, n).Select(i => (byte)key.Below(i, 256)).ToArray();
    }

    [Theory]
    [InlineData(PngColor.Gray, 1, 1)]
    [InlineData(PngColor.Gray, 37, 13)]
    [InlineData(PngColor.Rgb, 1, 5)]
    [InlineData(PngColor.Rgb, 64, 48)]
    public void Independent_reader_sees_signature_header_valid_crcs_and_the_exact_pixels(PngColor color, int w, int h)
    {
        var bpp = color == PngColor.Rgb ? 3 : 1;
        var pixels = Noise(w * h * bpp, w * 100 + h);
        var png = Png.Encode(w, h, color, pixels);
        var d = PicturesPngReader.Decode(png);
        Assert.Equal((w, h, 8, (int)color, 0, 0, 0), (d.Width, d.Height, d.BitDepth, d.ColorType, d.Compression, d.Filter, d.Interlace));
        Assert.Equal(["IHDR", "IDAT", "IEND"], d.ChunkTypes);
        Assert.Equal(pixels, d.Pixels);
    }

    [Fact]
    public void Table_crc_agrees_with_the_bitwise_definition_and_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8, []));   // the CRC-32 check value of the standard
        var data = Noise(1000, 3);
        Assert.Equal(PicturesPngReader.BitwiseCrc(data), Crc32.Compute(data.AsSpan(0, 400), data.AsSpan(400)));
    }

    [Fact]
    public void A_flipped_bit_is_caught_by_the_independent_crc_check()
    {
        var png = Png.Encode(4, 4, PngColor.Gray, Noise(16, 1));
        png[20] ^= 1;   // inside IHDR's data
        Assert.Throws<InvalidDataException>(() => PicturesPngReader.Decode(png));
    }

    [Fact]
    public void Save_writes_the_file_atomically_and_replaces_an_old_one()
    {
        var path = Path.Combine(dir, "x.png");
        File.WriteAllText(path, "old");
        Png.Save(path, 3, 2, PngColor.Rgb, Noise(18, 2));
        Assert.Equal(Noise(18, 2), PicturesPngReader.Decode(File.ReadAllBytes(path)).Pixels);
        Assert.Equal(["x.png"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Wrong_sizes_are_clear_errors()
    {
        Assert.Contains("needs 12", Assert.Throws<ArgumentException>(() => Png.Encode(2, 2, PngColor.Rgb, new byte[4])).Message);
        Assert.Throws<ArgumentException>(() => Png.Encode(0, 2, PngColor.Gray, []));
    }
}
