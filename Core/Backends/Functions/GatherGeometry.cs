namespace Functional.Backends;

/// <summary>
/// Six extents or strides, outermost first. Tensors of lower rank are right-aligned: leading extents are 1, and
/// their strides 0. Six is enough for every view the tensor functions make (a rank-4 broadcast, a bilinear
/// interpolation's rank-6 nearest-neighbour view) and keeps the geometry a plain struct a GPU kernel takes by value.
/// </summary>
public readonly record struct Dims6(int A, int B, int C, int D, int E, int F)
{
    /// <summary>The most dims a <see cref="GatherGeometry"/> describes.</summary>
    public const int Rank = 6;

    /// <summary>Entry <paramref name="i"/> (0 = outermost).</summary>
    public int this[int i] => i switch { 0 => A, 1 => B, 2 => C, 3 => D, 4 => E, 5 => F, _ => throw new ArgumentOutOfRangeException(nameof(i)) };

    /// <summary>Up to six values right-aligned, the leading entries filled with <paramref name="fill"/>.</summary>
    /// <exception cref="ArgumentException">More than six values.</exception>
    public static Dims6 Right(ReadOnlySpan<int> values, int fill)
    {
        if (values.Length > Rank) throw new ArgumentException($"A gather describes at most {Rank} dims, not {values.Length}.");
        Span<int> v = stackalloc int[Rank];
        v.Fill(fill);
        values.CopyTo(v[(Rank - values.Length)..]);
        return new(v[0], v[1], v[2], v[3], v[4], v[5]);
    }

    /// <summary>"[a, b, c, d, e, f]".</summary>
    public override string ToString() => $"[{A}, {B}, {C}, {D}, {E}, {F}]";
}

/// <summary>
/// A strided view made contiguous: dst (row-major over <see cref="Dims"/>) at index (i₀, …, i₅) takes
/// src[<see cref="Offset"/> + Σ iₖ·Stridesₖ]. A stride of 0 repeats (broadcasts) a dim; permuted strides transpose;
/// an offset and smaller extents slice. Every dst element is written, so dst may be uninitialised.
/// </summary>
public readonly record struct GatherGeometry(Dims6 Dims, Dims6 Strides, int Offset)
{
    /// <summary>Elements of dst.</summary>
    /// <exception cref="ShapeException">The count does not fit in an <c>int</c>.</exception>
    public int Length => Extents.Product("GatherGeometry dst", Dims.A, Dims.B, Dims.C, Dims.D, Dims.E, Dims.F);

    /// <summary>The largest src index read plus one (0 when dst is empty).</summary>
    public long Reach
    {
        get
        {
            long last = Offset;
            for (var k = 0; k < Dims6.Rank; k++)
            {
                if (Dims[k] == 0) return 0;
                last += (long)(Dims[k] - 1) * Strides[k];
            }
            return last + 1;
        }
    }
}
