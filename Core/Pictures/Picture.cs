namespace Functional.Pictures;

/// <summary>
/// An immutable RGB picture (8 bits per channel, row-major) produced by the chart and image renderers. Pictures
/// compose with <see cref="Row"/> and <see cref="Column"/> and are written as PNG with <see cref="Save"/>.
/// </summary>
public sealed class Picture
{
    private readonly byte[] rgb;

    internal Picture(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        this.rgb = rgb;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels, three bytes (R, G, B) per pixel, row-major.</summary>
    public ReadOnlySpan<byte> Pixels => rgb;

    /// <summary>The colour of pixel (x, y).</summary>
    public Rgb this[int x, int y] => (uint)x < (uint)Width && (uint)y < (uint)Height
        ? new(rgb[(y * Width + x) * 3], rgb[(y * Width + x) * 3 + 1], rgb[(y * Width + x) * 3 + 2])
        : throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width}×{Height} picture.");

    /// <summary>The picture as PNG bytes (RGB).</summary>
    public byte[] ToPng() => Png.Encode(Width, Height, PngColor.Rgb, rgb);

    /// <summary>Writes the picture as a PNG file, atomically.</summary>
    public void Save(string path) => Png.Save(path, Width, Height, PngColor.Rgb, rgb);

    /// <summary>Pictures side by side, top-aligned, on white, separated by <paramref name="gap"/> pixels.</summary>
    public static Picture Row(int gap, params Picture[] pictures) => Arrange(pictures, gap, horizontal: true);

    /// <summary>Pictures one above the other, left-aligned, on white, separated by <paramref name="gap"/> pixels.</summary>
    public static Picture Column(int gap, params Picture[] pictures) => Arrange(pictures, gap, horizontal: false);

    private static Picture Arrange(Picture[] pictures, int gap, bool horizontal)
    {
        if (pictures.Length == 0) throw new ArgumentException("Picture: nothing to arrange.", nameof(pictures));
        var along = pictures.Sum(p => horizontal ? p.Width : p.Height) + gap * (pictures.Length - 1);
        var across = pictures.Max(p => horizontal ? p.Height : p.Width);
        var canvas = horizontal ? new Canvas(along, across, Rgb.White) : new Canvas(across, along, Rgb.White);
        var at = 0;
        foreach (var p in pictures)
        {
            if (horizontal) canvas.Draw(p, at, 0); else canvas.Draw(p, 0, at);
            at += (horizontal ? p.Width : p.Height) + gap;
        }
        return canvas.ToPicture();
    }
}
