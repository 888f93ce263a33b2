namespace Functional;

/// <summary>How padding is chosen: explicit amounts, or a rule resolved against the input size.</summary>
public enum PaddingKind
{
    /// <summary>Explicit per-dimension amounts, the same on both sides (PyTorch's int or tuple).</summary>
    Explicit,
    /// <summary>Output size ⌈i/s⌉ for any stride; the total is split like TensorFlow's SAME, the extra on the far side.</summary>
    Same,
    /// <summary>No padding: p = 0.</summary>
    Valid,
    /// <summary>Every partial overlap: p = d(k−1) on both sides, so a stride-1 output is i + d(k−1).</summary>
    Full,
}

/// <summary>
/// Padding of a convolution or pooling: an int (all dims), a per-dim tuple, or one of <see cref="Same"/>,
/// <see cref="Valid"/>, <see cref="Full"/>. Converts implicitly from <c>int</c> and C# tuples; from F#, use
/// <see cref="Of(int[])"/> or a struct tuple.
/// </summary>
public readonly record struct Padding
{
    private readonly int[]? amounts;

    private Padding(PaddingKind kind, int[]? amounts) { Kind = kind; this.amounts = amounts; }

    /// <summary>Which rule this padding follows.</summary>
    public PaddingKind Kind { get; }

    /// <summary>The same amount on both sides of every spatial dimension.</summary>
    public static Padding Of(int all) => new(PaddingKind.Explicit, [all]);

    /// <summary>Per-dimension amounts, outermost spatial dimension first (e.g. H then W).</summary>
    public static Padding Of(params int[] perDim) => new(PaddingKind.Explicit, (int[])perDim.Clone());

    /// <summary>Output size ⌈i/s⌉; see <see cref="PaddingKind.Same"/>.</summary>
    public static Padding Same { get; } = new(PaddingKind.Same, null);

    /// <summary>No padding.</summary>
    public static Padding Valid { get; } = new(PaddingKind.Valid, null);

    /// <summary>p = d(k−1); see <see cref="PaddingKind.Full"/>.</summary>
    public static Padding Full { get; } = new(PaddingKind.Full, null);

    /// <summary>The default: zero padding, like <see cref="Valid"/>.</summary>
    public static Padding None => Of(0);

    /// <summary>An int pads every spatial dimension by the same amount.</summary>
    public static implicit operator Padding(int all) => Of(all);

    /// <summary>A 2-d (H, W) padding.</summary>
    public static implicit operator Padding((int H, int W) p) => Of(p.H, p.W);

    /// <summary>A 3-d (D, H, W) padding.</summary>
    public static implicit operator Padding((int D, int H, int W) p) => Of(p.D, p.H, p.W);

    /// <summary>The explicit amounts per dim, or null for a rule; a single value applies to every dim.</summary>
    public IReadOnlyList<int>? Amounts => Kind == PaddingKind.Explicit ? amounts ?? [0] : null;

    /// <summary>The explicit amount for spatial dim <paramref name="dim"/> of <paramref name="rank"/>.</summary>
    internal int Amount(int dim, int rank, string where)
    {
        var a = amounts ?? [0];
        if (a.Length == 1) return a[0];
        if (a.Length != rank)
            throw new ShapeException($"{where}: padding has {a.Length} values ({string.Join(", ", a)}) but the operation has {rank} spatial dimensions.");
        return a[dim];
    }

    /// <summary><c>same</c>, <c>valid</c>, <c>full</c>, or the amounts.</summary>
    public override string ToString() => Kind switch
    {
        PaddingKind.Explicit => (amounts ?? [0]).Length == 1 ? (amounts ?? [0])[0].ToString() : $"({string.Join(", ", amounts!)})",
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <inheritdoc />
    public bool Equals(Padding other) =>
        Kind == other.Kind && (amounts ?? [0]).AsSpan().SequenceEqual((other.amounts ?? [0]).AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, amounts is null ? 0 : string.Join(",", amounts).GetHashCode());
}

/// <summary>How a convolution fills the border it pads (PyTorch's <c>padding_mode</c>).</summary>
public enum PaddingMode
{
    /// <summary>Zeros outside the input.</summary>
    Zeros,
    /// <summary>Mirror without repeating the edge: …, x2, x1 | x0, x1, x2, ….</summary>
    Reflect,
    /// <summary>Repeat the edge value.</summary>
    Replicate,
    /// <summary>Wrap around, as if the input were periodic.</summary>
    Circular,
}
