namespace Functional.Pictures;

/// <summary>One image of a grid: a tensor H×W, 1×H×W (shown through the grid's colour map) or 3×H×W (RGB).</summary>
/// <param name="Image">The values.</param>
/// <param name="Caption">Text under the image (empty for none).</param>
/// <param name="Min">The value shown darkest; null uses the image's own minimum.</param>
/// <param name="Max">The value shown brightest; null uses the image's own maximum.</param>
public sealed record GridTile(Tensor Image, string Caption = "", double? Min = null, double? Max = null);

/// <summary>Grids of enlarged images with captions: input samples, learned filters, activation maps.</summary>
public static class ImageGrid
{
    /// <summary>Draws the tiles row by row, each pixel enlarged to a <paramref name="zoom"/>×<paramref name="zoom"/> block.</summary>
    /// <param name="columns">Tiles per row.</param>
    /// <param name="colormap">How single-channel values in [0, 1] after scaling become colours (default: greys).</param>
    /// <exception cref="ArgumentException">No tiles, or a tile is not H×W, 1×H×W or 3×H×W.</exception>
    public static Picture Render(IReadOnlyList<GridTile> tiles, int columns, int zoom = 4, string title = "", Func<double, Rgb>? colormap = null)
    {
        if (tiles.Count == 0) throw new ArgumentException("ImageGrid: no tiles to draw.", nameof(tiles));
        if (columns < 1 || zoom < 1) throw new ArgumentException($"ImageGrid: columns ({columns}) and zoom ({zoom}) must be at least 1.");
        colormap ??= Colormap.Grays;
        const int s = Frame.Scale, gap = 20;
        var sizes = tiles.Select(t => Size(t.Image)).ToList();
        // Captions may widen a cell, but a caption far wider than its image is drawn at half size instead.
        var captionScale = tiles.Max(t => Font.Width(t.Caption, s)) <= 2 * sizes.Max(z => z.W) * zoom + gap ? s : 1;
        var cellW = Math.Max(sizes.Max(z => z.W) * zoom, tiles.Max(t => Font.Width(t.Caption, captionScale)));
        var captionH = tiles.Any(t => t.Caption.Length > 0) ? (Font.CellHeight + 2) * captionScale + 4 : 0;
        var cellH = sizes.Max(z => z.H) * zoom + captionH;
        var rows = (tiles.Count + columns - 1) / columns;
        var top = title.Length > 0 ? Frame.LineHeight + 16 : gap;
        var width = gap + Math.Min(columns, tiles.Count) * (cellW + gap);
        var c = new Canvas(Math.Max(width, Font.Width(title, s) + 2 * gap), top + rows * (cellH + gap), Rgb.White);
        if (title.Length > 0) c.TextCentered(c.Width / 2, 8, title, Rgb.Black, s);

        for (var i = 0; i < tiles.Count; i++)
        {
            int x0 = gap + i % columns * (cellW + gap), y0 = top + i / columns * (cellH + gap);
            var (ch, h, w) = sizes[i];
            var ix = x0 + (cellW - w * zoom) / 2;
            var v = tiles[i].Image.Span;
            var (lo, hi) = Frame.Range(v.ToArray().Select(f => (double)f)) ?? (0, 1);
            lo = tiles[i].Min ?? lo; hi = tiles[i].Max ?? hi;
            var range = hi > lo ? hi - lo : 1;
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++)
                {
                    var color = ch == 3
                        ? new Rgb(Byte(v[y * w + x], lo, range), Byte(v[(h + y) * w + x], lo, range), Byte(v[(2 * h + y) * w + x], lo, range))
                        : colormap((v[y * w + x] - lo) / range);
                    c.Fill(ix + x * zoom, y0 + y * zoom, zoom, zoom, color);
                }
            c.Rect(ix - 1, y0 - 1, w * zoom + 2, h * zoom + 2, Rgb.Gray(200));
            if (tiles[i].Caption.Length > 0)
                c.TextCentered(x0 + cellW / 2, y0 + h * zoom + 6, tiles[i].Caption, Rgb.TextGray, captionScale);
        }
        return c.ToPicture();
    }

    private static byte Byte(float v, double lo, double range) => (byte)Math.Round(Math.Clamp((v - lo) / range, 0, 1) * 255);

    private static (int C, int H, int W) Size(Tensor t) => t.Shape.Rank switch
    {
        2 => (1, t.Shape[0], t.Shape[1]),
        3 when t.Shape[0] is 1 or 3 => (t.Shape[0], t.Shape[1], t.Shape[2]),
        _ => throw new ArgumentException($"ImageGrid: a tile must be H×W, 1×H×W or 3×H×W, not {t.Shape}."),
    };
}
