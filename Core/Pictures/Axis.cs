using System.Globalization;

namespace Functional.Pictures;

/// <summary>A linear axis with "nice" round ticks (steps of 1, 2, 2.5 or 5 times a power of ten).</summary>
internal sealed class Axis
{
    private Axis(double min, double max, double[] ticks, int decimals)
    {
        Min = min; Max = max; Ticks = ticks; Decimals = decimals;
    }

    public double Min { get; }
    public double Max { get; }
    public double[] Ticks { get; }
    public int Decimals { get; }

    /// <summary>An axis covering [lo, hi] whose ends fall on ticks, with about <paramref name="targetTicks"/> ticks.</summary>
    /// <param name="whole">Only whole-number ticks (epochs, steps): a fractional epoch reads as a mistake.</param>
    public static Axis Nice(double lo, double hi, int targetTicks = 6, bool whole = false)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) { lo = 0; hi = 1; }
        if (lo > hi) (lo, hi) = (hi, lo);
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            var pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            lo -= pad; hi += pad;
        }
        var rough = (hi - lo) / Math.Max(targetTicks - 1, 1);
        var mag = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var norm = rough / mag;
        var step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
        if (whole) step = Math.Max(1, Math.Ceiling(step));
        var min = Math.Floor(lo / step + 1e-9) * step;
        var max = Math.Ceiling(hi / step - 1e-9) * step;
        var n = (int)Math.Round((max - min) / step);
        var ticks = Enumerable.Range(0, n + 1).Select(i => min + i * step).ToArray();
        var decimals = whole ? 0 : Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9)) + (Math.Abs(step / mag - 2.5) < 1e-9 ? 1 : 0);
        return new Axis(min, max, ticks, decimals);
    }

    public string Label(double v) => Format(Math.Abs(v) < 1e-12 ? 0 : v, Decimals);

    /// <summary>Position of <paramref name="v"/> between the pixel coordinates of Min and Max.</summary>
    public double Map(double v, double atMin, double atMax) => atMin + (v - Min) / (Max - Min) * (atMax - atMin);

    public static string Format(double v, int decimals) =>
        v.ToString("F" + decimals, CultureInfo.InvariantCulture).Replace('-', '−');
}

/// <summary>The frame shared by line charts and scatter plots: title, grid, ticks, tick labels and axis titles.</summary>
internal static class Frame
{
    public const int Scale = 2;                                 // font scale: 10×14-pixel capitals
    public const int LineHeight = (Font.CellHeight + 2) * Scale;

    /// <summary>The plot rectangle (left, top, right, bottom) that leaves room for the labels of these axes.</summary>
    public static (int L, int T, int R, int B) Layout(int width, int height, Axis y, bool hasTitle)
    {
        var tickWidth = y.Ticks.Max(t => Font.Width(y.Label(t), Scale));
        return (LineHeight + 8 + tickWidth + 12, hasTitle ? LineHeight + 16 : 12, width - 32, height - 2 * LineHeight - 16);
    }

    public static void Draw(Canvas c, (int L, int T, int R, int B) p, Axis x, Axis y, string title, string xLabel, string yLabel)
    {
        foreach (var t in y.Ticks)
        {
            var py = (int)Math.Round(y.Map(t, p.B, p.T));
            c.Fill(p.L, py, p.R - p.L, 1, Rgb.GridGray);
            c.Fill(p.L - 6, py, 6, 1, Rgb.TextGray);
            c.TextRight(p.L - 10, py - Font.CapHeight * Scale / 2, y.Label(t), Rgb.TextGray, Scale);
        }
        foreach (var t in x.Ticks)
        {
            var px = (int)Math.Round(x.Map(t, p.L, p.R));
            c.Fill(px, p.T, 1, p.B - p.T, Rgb.GridGray);
            c.Fill(px, p.B, 1, 6, Rgb.TextGray);
            c.TextCentered(px, p.B + 10, x.Label(t), Rgb.TextGray, Scale);
        }
        c.Rect(p.L, p.T, p.R - p.L + 1, p.B - p.T + 1, Rgb.TextGray);
        c.TextCentered((p.L + p.R) / 2, p.B + 10 + LineHeight, xLabel, Rgb.Black, Scale);
        c.TextUp(6, (p.T + p.B) / 2 - Font.Width(yLabel, Scale) / 2, yLabel, Rgb.Black, Scale);
        if (title.Length > 0) c.TextCentered((p.L + p.R) / 2, 8, title, Rgb.Black, Scale);
    }

    /// <summary>Range of the finite values, or null when there are none.</summary>
    public static (double Lo, double Hi)? Range(IEnumerable<double> values)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values)
            if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        return lo <= hi ? (lo, hi) : null;
    }
}
