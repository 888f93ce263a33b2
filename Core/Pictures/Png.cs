using System.Buffers.Binary;
using System.IO.Compression;
using Functional.Io;

namespace Functional.Pictures;

/// <summary>The pixel formats the encoder writes: 8 bits per sample.</summary>
public enum PngColor
{
    /// <summary>One byte per pixel (PNG colour type 0).</summary>
    Gray = 0,
    /// <summary>Three bytes per pixel, red, green, blue (PNG colour type 2).</summary>
    Rgb = 2,
}

/// <summary>
/// A minimal PNG encoder: IHDR, one zlib-compressed IDAT and IEND, each with its CRC-32. Every scanline uses the
/// Sub filter (difference to the pixel on the left), which costs nothing to compute and lets deflate shrink the
/// flat areas and smooth gradients of charts and images well.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes <paramref name="pixels"/> (row-major, <paramref name="width"/>·<paramref name="height"/>
    /// pixels of 1 or 3 bytes) as a PNG file and returns its bytes.</summary>
    /// <exception cref="ArgumentException">The sizes are not positive or the pixel count does not match.</exception>
    public static byte[] Encode(int width, int height, PngColor color, ReadOnlySpan<byte> pixels)
    {
        var bpp = color == PngColor.Rgb ? 3 : 1;
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"Png: the image is {width}×{height}; both sides must be positive.");
        if (pixels.Length != (long)width * height * bpp)
            throw new ArgumentException($"Png: {pixels.Length} bytes given for a {width}×{height} {color} image, which needs {(long)width * height * bpp}.");

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;                 // bit depth
        ihdr[9] = (byte)color;       // colour type; compression, filter, interlace stay 0

        using var idat = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionLevel.Optimal, leaveOpen: true))
        {
            var stride = width * bpp;
            var line = new byte[stride + 1];
            line[0] = 1;             // filter type Sub
            for (var y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * stride, stride);
                for (var i = 0; i < stride; i++)
                    line[i + 1] = (byte)(row[i] - (i >= bpp ? row[i - bpp] : 0));
                z.Write(line);
            }
        }

        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR"u8, ihdr);
        WriteChunk(png, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>Writes a PNG file atomically (temporary file in the same folder, then a rename).</summary>
    public static void Save(string path, int width, int height, PngColor color, ReadOnlySpan<byte> pixels) =>
        AtomicFile.WriteAllBytes(path, Encode(width, height, color, pixels));

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        s.Write(word);
        s.Write(type);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(type, data));
        s.Write(word);
    }
}
