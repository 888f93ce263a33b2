namespace Functional.Pictures;

/// <summary>One labelled point of a scatter plot.</summary>
/// <param name="X">Horizontal coordinate.</param>
/// <param name="Y">Vertical coordinate.</param>
/// <param name="Label">Text drawn beside the point (empty for none).</param>
/// <param name="Group">Colour group: points with the same group share a colour and a legend entry.</param>
public sealed record ScatterPoint(double X, double Y, string Label = "", string Group = "");

/// <summary>Scatter plots with labelled points, e.g. accuracy against parameter count for a sweep of architectures.</summary>
public static class ScatterPlot
{
    /// <summary>Draws the points; a label goes beside its point, where it covers no other label (see LabelPlacement).
    /// When any point has a group, a legend lists the groups in order of first appearance.</summary>
    public static Picture Render(string title, string xLabel, string yLabel, IReadOnlyList<ScatterPoint> points, int width = 720, int height = 480)
    {
        var xr = Frame.Range(points.Select(q => q.X)) ?? (0, 1);
        var yr = Frame.Range(points.Select(q => q.Y)) ?? (0, 1);
        // Pad the data range so markers and labels at the extremes stay inside the frame.
        double xp = (xr.Hi - xr.Lo) * 0.05, yp = (yr.Hi - yr.Lo) * 0.08;
        var x = Axis.Nice(xr.Lo - xp, xr.Hi + xp, 7);
        var y = Axis.Nice(yr.Lo - yp, yr.Hi + yp);
        var c = new Canvas(width, height, Rgb.White);
        var p = Frame.Layout(width, height, y, title.Length > 0);
        Frame.Draw(c, p, x, y, title, xLabel, yLabel);

        var groups = points.Select(q => q.Group).Distinct().ToList();
        var drawn = new List<(double X, double Y)>();
        var labelled = new List<(double X, double Y, int W, int H, string Text)>();
        foreach (var q in points)
        {
            if (!double.IsFinite(q.X) || !double.IsFinite(q.Y)) continue;
            double px = x.Map(q.X, p.L, p.R), py = y.Map(q.Y, p.B, p.T);
            var color = Rgb.Series(groups.IndexOf(q.Group));
            c.Disc(px, py, 6, Rgb.White);
            c.Disc(px, py, 5, color);
            drawn.Add((px, py));
            if (q.Label.Length > 0) labelled.Add((px, py, Font.Width(q.Label, Frame.Scale), Font.CapHeight * Frame.Scale, q.Label));
        }
        // Labels after every marker, each where it covers no earlier label (points often coincide in a sweep).
        var boxes = LabelPlacement.Place(labelled.Select(l => (l.X, l.Y, l.W, l.H)).ToList(), p.L + 2, p.R - 4, p.T + 2, p.B - 2);
        for (var i = 0; i < boxes.Count; i++) c.Text(boxes[i].X, boxes[i].Y, labelled[i].Text, Rgb.TextGray, Frame.Scale);
        if (groups.Count > 1 || groups[0].Length > 0)
            Legend.Draw(c, p, groups.Select((g, k) => (g, Rgb.Series(k))).ToList(), drawn, markers: true);
        return c.ToPicture();
    }
}
