namespace Functional.Pictures;

/// <summary>A label's box on the canvas: left, top, width and height in pixels.</summary>
internal readonly record struct LabelBox(int X, int Y, int W, int H)
{
    /// <summary>Pixels of overlap with <paramref name="o"/> (0 when apart).</summary>
    public int Overlap(LabelBox o) =>
        Math.Max(0, Math.Min(X + W, o.X + o.W) - Math.Max(X, o.X)) * Math.Max(0, Math.Min(Y + H, o.Y + o.H) - Math.Max(Y, o.Y));
}

/// <summary>
/// Places point labels so that they do not cover one another: a sweep's variants often share a parameter count
/// and a chance-level accuracy (the skip study's plain nets), and labels drawn always to the right of their point
/// would be printed on top of each other.
/// </summary>
internal static class LabelPlacement
{
    /// <summary>
    /// For each point (px, py) with a label of size w×h, the first of eight positions around the point (right,
    /// left, then above and below each, then further out) that overlaps no label placed before it and stays
    /// inside [left, right]×[top, bottom]; when every position collides, the one with the least overlap.
    /// </summary>
    public static IReadOnlyList<LabelBox> Place(IReadOnlyList<(double X, double Y, int W, int H)> labels, int left, int right, int top, int bottom)
    {
        var placed = new List<LabelBox>(labels.Count);
        foreach (var (px, py, w, h) in labels)
        {
            int x = (int)px, y = (int)py - h / 2;
            var candidates = new[]
            {
                new LabelBox(x + 10, y, w, h), new LabelBox(x - 10 - w, y, w, h),
                new LabelBox(x + 8, y - h - 4, w, h), new LabelBox(x + 8, y + h + 4, w, h),
                new LabelBox(x - 8 - w, y - h - 4, w, h), new LabelBox(x - 8 - w, y + h + 4, w, h),
                new LabelBox(x + 8, y - 2 * h - 8, w, h), new LabelBox(x + 8, y + 2 * h + 8, w, h),
            };
            var inside = candidates.Where(b => b.X >= left && b.X + b.W <= right && b.Y >= top && b.Y + b.H <= bottom).ToList();
            if (inside.Count == 0) inside = [candidates[0].X + w <= right ? candidates[0] : candidates[1]];
            placed.Add(inside.MinBy(b => placed.Sum(o => b.Overlap(o))));
        }
        return placed;
    }
}
