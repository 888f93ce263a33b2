using System.Collections.Immutable;

namespace Functional.Network;

/// <summary>
/// A hyper-parameter given once for every spatial dim or once per dim (kernel 3, or kernel (3, 5) for H×W).
/// Converts implicitly from <c>int</c> and C# tuples (from F#: an int, a struct tuple, or <see cref="Of"/>).
/// Equal when the values are equal.
/// </summary>
public readonly struct PerDim : IEquatable<PerDim>
{
    private readonly ImmutableArray<int> values;

    private PerDim(ImmutableArray<int> values) => this.values = values;

    /// <summary>One value per dim, outermost first; a single value applies to every dim.</summary>
    /// <exception cref="ArgumentException">No value given.</exception>
    public static PerDim Of(params int[] values) => values.Length == 0
        ? throw new ArgumentException("A per-dim hyper-parameter needs at least one value.", nameof(values))
        : new(values.ToImmutableArray());

    /// <summary>The same value along every dim.</summary>
    public static implicit operator PerDim(int all) => Of(all);

    /// <summary>(H, W).</summary>
    public static implicit operator PerDim((int H, int W) v) => Of(v.H, v.W);

    /// <summary>(D, H, W).</summary>
    public static implicit operator PerDim((int D, int H, int W) v) => Of(v.D, v.H, v.W);

    /// <summary>False for a default-constructed value (an optional argument left out), which reads as 1.</summary>
    public bool IsGiven => !values.IsDefault;

    /// <summary>The values as given (one, or one per dim); 1 for a default-constructed value.</summary>
    public ImmutableArray<int> Values => values.IsDefault ? [1] : values;

    /// <summary>The value along dim <paramref name="d"/> of <paramref name="rank"/> (the single value if only one was given).</summary>
    public int At(int d, int rank) => Values.Length == 1 ? Values[0] : Values[d];

    /// <summary>The values expanded to <paramref name="rank"/> dims (unchecked: the operation's spec reports a wrong count).</summary>
    public int[] For(int rank) => Values.Length == 1 ? Enumerable.Repeat(Values[0], rank).ToArray() : Values.ToArray();

    /// <inheritdoc />
    public bool Equals(PerDim other) => Values.SequenceEqual(other.Values);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PerDim p && Equals(p);

    /// <inheritdoc />
    public override int GetHashCode() => Values.Aggregate(17, HashCode.Combine);

    /// <summary>Value equality.</summary>
    public static bool operator ==(PerDim a, PerDim b) => a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(PerDim a, PerDim b) => !a.Equals(b);

    /// <summary><c>3</c> or <c>3×5</c>.</summary>
    public override string ToString() => string.Join("×", Values);
}
