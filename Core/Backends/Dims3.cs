namespace Functional.Backends;

/// <summary>
/// Spatial extents as depth × height × width. The seam treats every 1-d and 2-d operation as 3-d with unit
/// leading dims (a length-L sequence is 1×1×L, an H×W image is 1×H×W), so each kernel is written once.
/// </summary>
public readonly record struct Dims3(int D, int H, int W)
{
    /// <summary>All three extents equal to <paramref name="v"/>.</summary>
    public static Dims3 All(int v) => new(v, v, v);

    /// <summary>Extent <paramref name="i"/> (0 = D, 1 = H, 2 = W).</summary>
    public int this[int i] => i switch { 0 => D, 1 => H, 2 => W, _ => throw new ArgumentOutOfRangeException(nameof(i)) };

    /// <summary>D·H·W.</summary>
    /// <exception cref="ShapeException">The product does not fit in an <c>int</c>; the message quotes the true count.</exception>
    public int Product => Extents.Product("Extents D·H·W", D, H, W);

    /// <summary>From a per-dim list of 1 to 3 values, padding leading dims with <paramref name="fill"/>.</summary>
    public static Dims3 FromSpatial(ReadOnlySpan<int> spatial, int fill = 1) => spatial.Length switch
    {
        1 => new(fill, fill, spatial[0]),
        2 => new(fill, spatial[0], spatial[1]),
        3 => new(spatial[0], spatial[1], spatial[2]),
        _ => throw new ArgumentException($"Spatial rank must be 1, 2 or 3, not {spatial.Length}."),
    };

    /// <summary>The last <paramref name="rank"/> extents, outermost first.</summary>
    public int[] Spatial(int rank) => rank switch
    {
        1 => [W],
        2 => [H, W],
        3 => [D, H, W],
        _ => throw new ArgumentException($"Spatial rank must be 1, 2 or 3, not {rank}."),
    };

    /// <summary>D×H×W.</summary>
    public override string ToString() => $"{D}×{H}×{W}";
}
