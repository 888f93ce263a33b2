namespace Functional.Pictures;

/// <summary>
/// The private drawing surface of the chart renderers: an RGB buffer with rectangles, thick lines, discs and
/// bitmap text. It is mutable only while one renderer draws; renderers hand out an immutable <see cref="Picture"/>.
/// </summary>
internal sealed class Canvas
{
    private readonly byte[] rgb;

    public Canvas(int width, int height, Rgb background)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"Picture: the size {width}×{height} must be positive in both directions.");
        Width = width;
        Height = height;
        rgb = new byte[width * height * 3];
        Fill(0, 0, width, height, background);
    }

    public int Width { get; }
    public int Height { get; }

    public Picture ToPicture() => new(Width, Height, rgb.ToArray());

    public void Set(int x, int y, Rgb c)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return;   // clip silently: drawing past an edge is normal
        var i = (y * Width + x) * 3;
        rgb[i] = c.R; rgb[i + 1] = c.G; rgb[i + 2] = c.B;
    }

    public void Fill(int x, int y, int w, int h, Rgb c)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0), x1 = Math.Min(x + w, Width), y1 = Math.Min(y + h, Height);
        for (var yy = y0; yy < y1; yy++)
            for (var xx = x0; xx < x1; xx++) Set(xx, yy, c);
    }

    public void Rect(int x, int y, int w, int h, Rgb c)
    {
        Fill(x, y, w, 1, c); Fill(x, y + h - 1, w, 1, c);
        Fill(x, y, 1, h, c); Fill(x + w - 1, y, 1, h, c);
    }

    /// <summary>A line of the given thickness (Bresenham with a square brush).</summary>
    public void Line(double fx0, double fy0, double fx1, double fy1, Rgb c, int thickness = 1)
    {
        int x0 = (int)Math.Round(fx0), y0 = (int)Math.Round(fy0), x1 = (int)Math.Round(fx1), y1 = (int)Math.Round(fy1);
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        var off = (thickness - 1) / 2;
        while (true)
        {
            Fill(x0 - off, y0 - off, thickness, thickness, c);
            if (x0 == x1 && y0 == y1) return;
            var e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    public void Disc(double cx, double cy, double radius, Rgb c)
    {
        var r = (int)Math.Ceiling(radius);
        for (var y = -r; y <= r; y++)
            for (var x = -r; x <= r; x++)
                if (x * x + y * y <= radius * radius + 0.5) Set((int)Math.Round(cx) + x, (int)Math.Round(cy) + y, c);
    }

    /// <summary>Text with its top-left corner at (x, y); each font pixel becomes a scale×scale block.</summary>
    public void Text(int x, int y, string text, Rgb c, int scale = 2)
    {
        foreach (var ch in text)
        {
            var g = Font.Glyph(ch);
            for (var gy = 0; gy < g.GetLength(0); gy++)
                for (var gx = 0; gx < Font.GlyphWidth; gx++)
                    if (g[gy, gx]) Fill(x + gx * scale, y + gy * scale, scale, scale, c);
            x += Font.Advance * scale;
        }
    }

    /// <summary>Text rotated 90° anticlockwise (reading bottom to top), its bounding box's top-left at (x, y).</summary>
    public void TextUp(int x, int y, string text, Rgb c, int scale = 2)
    {
        var bottom = y + Font.Width(text, scale);
        foreach (var ch in text)
        {
            var g = Font.Glyph(ch);
            for (var gy = 0; gy < g.GetLength(0); gy++)
                for (var gx = 0; gx < Font.GlyphWidth; gx++)
                    if (g[gy, gx]) Fill(x + gy * scale, bottom - (gx + 1) * scale, scale, scale, c);
            bottom -= Font.Advance * scale;
        }
    }

    /// <summary>Text centred horizontally on <paramref name="cx"/>.</summary>
    public void TextCentered(int cx, int y, string text, Rgb c, int scale = 2) => Text(cx - Font.Width(text, scale) / 2, y, text, c, scale);

    /// <summary>Text whose right edge is at <paramref name="right"/>.</summary>
    public void TextRight(int right, int y, string text, Rgb c, int scale = 2) => Text(right - Font.Width(text, scale), y, text, c, scale);

    /// <summary>Copies a picture with its top-left corner at (x, y).</summary>
    public void Draw(Picture p, int x, int y)
    {
        var src = p.Pixels;
        for (var yy = 0; yy < p.Height; yy++)
            for (var xx = 0; xx < p.Width; xx++)
            {
                var i = (yy * p.Width + xx) * 3;
                Set(x + xx, y + yy, new Rgb(src[i], src[i + 1], src[i + 2]));
            }
    }
}
