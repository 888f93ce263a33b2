using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Functional.Tests;

/// <summary>An independent PNG reader for tests: its own bitwise CRC-32 (no table), all five scanline filters.</summary>
internal static class PicturesPngReader
{
    public sealed record Decoded(int Width, int Height, int BitDepth, int ColorType, int Compression, int Filter, int Interlace,
        List<string> ChunkTypes, byte[] Pixels);

    public static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }

    public static Decoded Decode(byte[] png)
    {
        byte[] sig = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan(0, 8).SequenceEqual(sig)) throw new InvalidDataException("bad PNG signature");
        var pos = 8;
        var types = new List<string>();
        var idat = new MemoryStream();
        byte[]? ihdr = null;
        while (pos < png.Length)
        {
            var len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + len));
            if (crc != BitwiseCrc(png.AsSpan(pos + 4, 4 + len))) throw new InvalidDataException($"CRC mismatch in chunk {type}");
            types.Add(type);
            if (type == "IHDR") ihdr = data.ToArray();
            if (type == "IDAT") idat.Write(data);
            pos += 12 + len;
            if (type == "IEND") break;
        }
        if (pos != png.Length) throw new InvalidDataException("bytes after IEND");
        if (ihdr is null) throw new InvalidDataException("no IHDR");
        int w = BinaryPrimitives.ReadInt32BigEndian(ihdr), h = BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4));
        var bpp = ihdr[9] switch { 0 => 1, 2 => 3, _ => throw new InvalidDataException("colour type") };
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var bytes = raw.ToArray();
        var stride = w * bpp;
        if (bytes.Length != h * (stride + 1)) throw new InvalidDataException($"IDAT inflates to {bytes.Length} bytes, expected {h * (stride + 1)}");
        var pixels = new byte[h * stride];
        for (var y = 0; y < h; y++)
        {
            var f = bytes[y * (stride + 1)];
            for (var i = 0; i < stride; i++)
            {
                int x = bytes[y * (stride + 1) + 1 + i];
                int a = i >= bpp ? pixels[y * stride + i - bpp] : 0, b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                int c = i >= bpp && y > 0 ? pixels[(y - 1) * stride + i - bpp] : 0;
                pixels[y * stride + i] = (byte)(f switch
                {
                    0 => x, 1 => x + a, 2 => x + b, 3 => x + (a + b) / 2, 4 => x + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {f}"),
                });
            }
        }
        return new(w, h, ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12], types, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
