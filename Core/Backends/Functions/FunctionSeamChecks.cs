namespace Functional.Backends;

/// <summary>
/// The checks the function entries run before touching memory, as <see cref="SeamChecks"/> does for the older
/// ones: equal lengths for the element-wise entries; for a gather, non-negative extents and strides, a src long
/// enough for the farthest element read, and a dst of exactly the view's size.
/// </summary>
public static class FunctionSeamChecks
{
    /// <summary>Every buffer of an element-wise entry has the length of the first.</summary>
    public static void SameLengths(string entry, params ReadOnlySpan<int> lengths)
    {
        foreach (var l in lengths)
            if (l != lengths[0])
                throw new GeometryException($"{entry}: the buffers hold [{string.Join(", ", lengths.ToArray())}] elements; an element-wise entry needs equal lengths.");
    }

    /// <summary><c>Gather</c>: the view fits in src and dst holds it exactly.</summary>
    public static void Gather(in GatherGeometry g, int srcLength, int dstLength, string entry)
    {
        for (var k = 0; k < Dims6.Rank; k++)
            if (g.Dims[k] < 0 || g.Strides[k] < 0)
                throw new GeometryException($"{entry}: {g} has a negative extent or stride; a gather reads forward only.");
        if (g.Offset < 0) throw new GeometryException($"{entry}: {g} starts at {g.Offset}; the offset must be ≥ 0.");
        int length;
        try { length = g.Length; }
        catch (ShapeException e) { throw new GeometryException($"{entry}: {g}: {e.Message}"); }
        if (g.Reach > srcLength)
            throw new GeometryException($"{entry}: {g} reads up to element {g.Reach - 1} but src holds {srcLength}.");
        if (length != dstLength)
            throw new GeometryException($"{entry}: {g} has {length} elements but dst holds {dstLength}.");
    }
}
