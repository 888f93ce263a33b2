using System.Numerics;

namespace Functional;

/// <summary>
/// Products of extents (element counts, buffer lengths) that never wrap: each partial product is checked, so a
/// count beyond the range of its type is a <see cref="ShapeException"/> quoting the factors and the true product.
/// </summary>
internal static class Extents
{
    /// <summary>∏ factors as an int (a buffer length or element count).</summary>
    /// <param name="what">What is counted, starting the message, e.g. <c>ConvGeometry input N·C·D·H·W</c>.</param>
    /// <exception cref="ShapeException">The product exceeds <see cref="int.MaxValue"/> (or is below int.MinValue).</exception>
    public static int Product(string what, params ReadOnlySpan<int> factors)
    {
        long p = 1;
        foreach (var f in factors)
        {
            // |p| ≤ 2^31 before each step and |f| ≤ 2^31, so the long never wraps.
            p *= f;
            if (p is > int.MaxValue or < int.MinValue) throw TooMany(what, factors, int.MaxValue);
        }
        return (int)p;
    }

    /// <summary>∏ factors as a long (work counts such as multiply-adds).</summary>
    /// <exception cref="ShapeException">The product exceeds <see cref="long.MaxValue"/>.</exception>
    public static long Product64(string what, params ReadOnlySpan<long> factors)
    {
        long p = 1;
        try
        {
            foreach (var f in factors) p = checked(p * f);
        }
        catch (OverflowException)
        {
            var big = BigInteger.One;
            foreach (var f in factors) big *= f;
            throw new ShapeException($"{what} = {string.Join("·", factors.ToArray())} = {big} is more than {long.MaxValue:N0}.");
        }
        return p;
    }

    private static ShapeException TooMany(string what, ReadOnlySpan<int> factors, long limit)
    {
        var big = BigInteger.One;
        foreach (var f in factors) big *= f;
        return new ShapeException($"{what} = {string.Join("·", factors.ToArray())} = {big} elements, more than the {limit:N0} one buffer can hold.");
    }
}
