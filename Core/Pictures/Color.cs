namespace Functional.Pictures;

/// <summary>An 8-bit sRGB colour.</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>White.</summary>
    public static Rgb White => new(255, 255, 255);
    /// <summary>Black.</summary>
    public static Rgb Black => new(0, 0, 0);
    /// <summary>The light grey of grid lines.</summary>
    public static Rgb GridGray => new(225, 225, 225);
    /// <summary>The dark grey of axes and text.</summary>
    public static Rgb TextGray => new(40, 40, 40);

    /// <summary>A grey level.</summary>
    public static Rgb Gray(byte level) => new(level, level, level);

    /// <summary>Ten distinguishable series colours (matplotlib's "tab10"), cycling after ten.</summary>
    public static Rgb Series(int index) => Palette[((index % Palette.Length) + Palette.Length) % Palette.Length];

    private static readonly Rgb[] Palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>Black or white, whichever reads better on top of this colour.</summary>
    public Rgb Contrasting => 0.299 * R + 0.587 * G + 0.114 * B > 140 ? Black : White;

    /// <summary>E.g. <c>Rgb(214, 96, 77)</c>.</summary>
    // The record's generated ToString would print Contrasting, an Rgb, whose ToString prints its Contrasting, and
    // so on until the stack overflows.
    public override string ToString() => $"Rgb({R}, {G}, {B})";
}

/// <summary>Maps numbers in [0, 1] to colours.</summary>
public static class Colormap
{
    // Samples of matplotlib's perceptually uniform "viridis" at t = 0, 1/8, …, 1; linear interpolation between them
    // stays close to the original and keeps the dark-to-bright ordering that makes heat maps readable in greyscale.
    private static readonly Rgb[] ViridisStops =
    [
        new(68, 1, 84), new(71, 45, 123), new(59, 82, 139), new(44, 114, 142), new(33, 145, 140),
        new(40, 174, 128), new(94, 201, 98), new(173, 220, 48), new(253, 231, 37),
    ];

    // ColorBrewer's RdBu reversed: blue for negative, white at the middle, red for positive.
    private static readonly Rgb[] DivergingStops =
    [
        new(5, 48, 97), new(33, 102, 172), new(67, 147, 195), new(146, 197, 222), new(209, 229, 240), new(247, 247, 247),
        new(253, 219, 199), new(244, 165, 130), new(214, 96, 77), new(178, 24, 43), new(103, 0, 31),
    ];

    /// <summary>Viridis: dark purple (0) through teal to yellow (1). Values outside [0, 1] are clamped; NaN is grey.</summary>
    public static Rgb Viridis(double t) => Interpolate(ViridisStops, t);

    /// <summary>Blue (0) through white (½) to red (1), for signed values such as filter weights and edge responses
    /// (map zero to ½). Values outside [0, 1] are clamped; NaN is grey.</summary>
    public static Rgb Diverging(double t) => Interpolate(DivergingStops, t);

    private static Rgb Interpolate(Rgb[] stops, double t)
    {
        if (double.IsNaN(t)) return Rgb.Gray(128);
        t = Math.Clamp(t, 0, 1) * (stops.Length - 1);
        var i = Math.Min((int)t, stops.Length - 2);
        var f = t - i;
        Rgb a = stops[i], b = stops[i + 1];
        return new((byte)Math.Round(a.R + f * (b.R - a.R)), (byte)Math.Round(a.G + f * (b.G - a.G)), (byte)Math.Round(a.B + f * (b.B - a.B)));
    }

    /// <summary>Greys: black (0) to white (1), clamped.</summary>
    public static Rgb Grays(double t) => double.IsNaN(t) ? new(255, 0, 255) : Rgb.Gray((byte)Math.Round(Math.Clamp(t, 0, 1) * 255));
}
