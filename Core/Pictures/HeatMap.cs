namespace Functional.Pictures;

/// <summary>Heat maps of a matrix with a colour bar: a labelled confusion matrix, or an unlabelled activation map.</summary>
public static class HeatMap
{
    /// <summary>Draws <paramref name="values"/> [row, column] as coloured cells, with the value written in each cell
    /// when <paramref name="annotate"/> (integers when all values are whole, else two decimals).</summary>
    /// <param name="rowLabels">One label per row, drawn left of the rows (e.g. true classes); empty strings for none.</param>
    /// <param name="columnLabels">One label per column, drawn under the columns reading upwards (e.g. predicted classes).</param>
    /// <param name="rowTitle">Title of the row axis (e.g. "true").</param>
    /// <param name="columnTitle">Title of the column axis (e.g. "predicted").</param>
    /// <param name="cell">Cell side in pixels.</param>
    /// <param name="colormap">Value (scaled to [0, 1] over the colour bar's range) to colour; default <see cref="Colormap.Viridis"/>.</param>
    /// <param name="symmetric">Make the range symmetric around zero (use with <see cref="Colormap.Diverging"/>).</param>
    /// <exception cref="ArgumentException">The label counts do not match the matrix.</exception>
    public static Picture Render(string title, double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels,
        string rowTitle = "", string columnTitle = "", bool annotate = true, int cell = 48, Func<double, Rgb>? colormap = null, bool symmetric = false)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        if (rowLabels.Count != rows || columnLabels.Count != cols)
            throw new ArgumentException($"HeatMap: the matrix is {rows}×{cols} but {rowLabels.Count} row and {columnLabels.Count} column labels were given.");
        if (rows == 0 || cols == 0 || cell < 1)
            throw new ArgumentException($"HeatMap: nothing to draw ({rows}×{cols} cells of {cell} pixels).");
        colormap ??= Colormap.Viridis;
        const int s = Frame.Scale;
        var flat = values.Cast<double>().ToArray();
        var (lo, hi) = Frame.Range(flat) ?? (0, 1);
        if (symmetric) { var m = Math.Max(Math.Abs(lo), Math.Abs(hi)); (lo, hi) = (-m, m); }
        var axis = Axis.Nice(lo, hi, 6);
        var whole = flat.All(v => !double.IsFinite(v) || v == Math.Round(v));

        var rowTitleW = rowTitle.Length > 0 ? Frame.LineHeight + 4 : 0;
        var left = 12 + rowTitleW + rowLabels.Append("").Max(l => Font.Width(l, s)) + 10;
        var top = title.Length > 0 ? Frame.LineHeight + 20 : 12;
        int gridW = cols * cell, gridH = rows * cell;
        var labelsH = columnLabels.Any(l => l.Length > 0) ? columnLabels.Max(l => Font.Width(l, s)) + 10 : 0;
        var barH = Math.Max(gridH, 120);
        int barX = left + gridW + 24, barW = 24;
        var width = Math.Max(barX + barW + 10 + axis.Ticks.Max(t => Font.Width(axis.Label(t), s)) + 16, Font.Width(title, s) + 24);
        var height = top + Math.Max(gridH + labelsH + (columnTitle.Length > 0 ? Frame.LineHeight + 8 : 0), barH + 8) + 12;

        var c = new Canvas(width, height, Rgb.White);
        if (title.Length > 0) c.TextCentered(width / 2, 10, title, Rgb.Black, s);
        for (var r = 0; r < rows; r++)
            for (var k = 0; k < cols; k++)
            {
                var v = values[r, k];
                var color = colormap((v - axis.Min) / (axis.Max - axis.Min));
                int x0 = left + k * cell, y0 = top + r * cell;
                c.Fill(x0, y0, cell, cell, color);
                if (!annotate) continue;
                var text = Axis.Format(v, whole ? 0 : 2);
                var ts = Font.Width(text, s) <= cell - 4 ? s : 1;
                c.TextCentered(x0 + cell / 2, y0 + (cell - Font.CapHeight * ts) / 2, text, color.Contrasting, ts);
            }
        c.Rect(left - 1, top - 1, gridW + 2, gridH + 2, Rgb.Gray(200));   // keeps white (zero) cells from merging with the page
        for (var r = 0; r < rows; r++)
            c.TextRight(left - 10, top + r * cell + (cell - Font.CapHeight * s) / 2, rowLabels[r], Rgb.TextGray, s);
        for (var k = 0; k < cols; k++)
            c.TextUp(left + k * cell + (cell - Font.CapHeight * s) / 2, top + gridH + 8, columnLabels[k], Rgb.TextGray, s);
        if (rowTitle.Length > 0)
            c.TextUp(8, top + gridH / 2 - Font.Width(rowTitle, s) / 2, rowTitle, Rgb.Black, s);
        if (columnTitle.Length > 0)
            c.TextCentered(left + gridW / 2, top + gridH + labelsH + 4, columnTitle, Rgb.Black, s);

        // Colour bar: one pixel row per shade, ticks at the axis' round values.
        for (var y = 0; y < barH; y++)
            c.Fill(barX, top + y, barW, 1, colormap(1 - (double)y / (barH - 1)));
        c.Rect(barX, top, barW, barH, Rgb.TextGray);
        foreach (var t in axis.Ticks)
        {
            var py = (int)Math.Round(axis.Map(t, top + barH - 1, top));
            c.Fill(barX + barW, py, 5, 1, Rgb.TextGray);
            c.Text(barX + barW + 9, py - Font.CapHeight * s / 2, axis.Label(t), Rgb.TextGray, s);
        }
        return c.ToPicture();
    }

    /// <summary>An unlabelled map (H×W or 1×H×W tensor, e.g. one activation map) with a colour bar, each value an
    /// enlarged <paramref name="cell"/>-pixel square.</summary>
    /// <exception cref="ArgumentException">The tensor is not a single 2-d map.</exception>
    public static Picture Render(string title, Tensor map, int cell = 10, Func<double, Rgb>? colormap = null, bool symmetric = false)
    {
        var (h, w) = map.Shape.Rank switch
        {
            2 => (map.Shape[0], map.Shape[1]),
            3 when map.Shape[0] == 1 => (map.Shape[1], map.Shape[2]),
            _ => throw new ArgumentException($"HeatMap: expected one map H×W or 1×H×W, got {map.Shape}."),
        };
        var v = new double[h, w];
        var span = map.Span;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++) v[y, x] = span[y * w + x];
        return Render(title, v, Enumerable.Repeat("", h).ToArray(), Enumerable.Repeat("", w).ToArray(), annotate: false, cell: cell, colormap: colormap, symmetric: symmetric);
    }
}
