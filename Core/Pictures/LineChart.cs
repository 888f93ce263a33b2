namespace Functional.Pictures;

/// <summary>One named line of a chart. Non-finite y values leave a gap.</summary>
/// <param name="Name">The legend entry.</param>
/// <param name="X">The x coordinates.</param>
/// <param name="Y">The y coordinates, one per x.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>A series over x = 1, 2, 3, … (e.g. one value per epoch).</summary>
    public static Series PerStep(string name, IReadOnlyList<double> y) => new(name, Enumerable.Range(1, y.Count).Select(i => (double)i).ToArray(), y);
}

/// <summary>Line charts with round-numbered axes, grid, tick labels, axis titles and a legend placed in the emptiest corner.</summary>
public static class LineChart
{
    /// <summary>Draws the series (colours from <see cref="Rgb.Series"/>, in order); points are marked when there are few.</summary>
    /// <param name="yMin">Fix the lower y limit (e.g. 0 for a loss); null fits the data.</param>
    /// <param name="yMax">Fix the upper y limit (e.g. 1 for an accuracy); null fits the data.</param>
    /// <exception cref="ArgumentException">A series has different numbers of x and y values.</exception>
    public static Picture Render(string title, string xLabel, string yLabel, IReadOnlyList<Series> series,
        int width = 720, int height = 480, double? yMin = null, double? yMax = null)
    {
        foreach (var s in series)
            if (s.X.Count != s.Y.Count)
                throw new ArgumentException($"LineChart: series '{s.Name}' has {s.X.Count} x values and {s.Y.Count} y values.");
        var xr = Frame.Range(series.SelectMany(s => s.X)) ?? (0, 1);
        var yr = Frame.Range(series.SelectMany(s => s.Y)) ?? (0, 1);
        var x = Axis.Nice(xr.Lo, xr.Hi, 8, whole: series.All(s => s.X.All(v => !double.IsFinite(v) || v == Math.Round(v))));
        var y = Axis.Nice(yMin ?? yr.Lo, yMax ?? yr.Hi);
        var c = new Canvas(width, height, Rgb.White);
        var p = Frame.Layout(width, height, y, title.Length > 0);
        Frame.Draw(c, p, x, y, title, xLabel, yLabel);

        var points = new List<(double, double)>();
        for (var k = 0; k < series.Count; k++)
        {
            var s = series[k];
            var color = Rgb.Series(k);
            var mark = s.X.Count <= 40;
            (double X, double Y)? prev = null;
            for (var i = 0; i < s.X.Count; i++)
            {
                if (!double.IsFinite(s.X[i]) || !double.IsFinite(s.Y[i])) { prev = null; continue; }
                var pt = (X: x.Map(s.X[i], p.L, p.R), Y: y.Map(s.Y[i], p.B, p.T));
                if (prev is { } q) c.Line(q.X, q.Y, pt.X, pt.Y, color, 3);
                if (mark) c.Disc(pt.X, pt.Y, 4, color);
                points.Add(pt);
                prev = pt;
            }
        }
        Legend.Draw(c, p, series.Select((s, k) => (s.Name, Rgb.Series(k))).ToList(), points);
        return c.ToPicture();
    }
}

/// <summary>A boxed legend in whichever inside corner of the plot covers the fewest data points.</summary>
internal static class Legend
{
    /// <param name="markers">Show each entry as a dot (scatter plots) instead of a line segment.</param>
    public static void Draw(Canvas c, (int L, int T, int R, int B) p, IReadOnlyList<(string Name, Rgb Color)> entries, List<(double X, double Y)> points, bool markers = false)
    {
        if (entries.Count == 0) return;
        const int pad = 8, swatch = 24;
        var w = pad * 3 + swatch + entries.Max(e => Font.Width(e.Name, Frame.Scale));
        var h = pad * 2 + entries.Count * Frame.LineHeight - 2 * Frame.Scale;
        var corners = new[] { (p.R - w - 8, p.T + 8), (p.R - w - 8, p.B - h - 8), (p.L + 8, p.T + 8), (p.L + 8, p.B - h - 8) };
        var (x, y) = corners.MinBy(k => points.Count(q => q.X >= k.Item1 - 6 && q.X <= k.Item1 + w + 6 && q.Y >= k.Item2 - 6 && q.Y <= k.Item2 + h + 6));
        c.Fill(x, y, w, h, Rgb.White);
        c.Rect(x, y, w, h, Rgb.Gray(160));
        for (var i = 0; i < entries.Count; i++)
        {
            var ty = y + pad + i * Frame.LineHeight;
            if (markers) c.Disc(x + pad + swatch / 2, ty + Font.CapHeight * Frame.Scale / 2, 5, entries[i].Color);
            else c.Fill(x + pad, ty + Font.CapHeight * Frame.Scale / 2 - 1, swatch, 4, entries[i].Color);
            c.Text(x + pad * 2 + swatch, ty, entries[i].Name, Rgb.Black, Frame.Scale);
        }
    }
}
