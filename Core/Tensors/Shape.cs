using System.Collections.Immutable;
using System.Globalization;

namespace Functional;

/// <summary>
/// An immutable tensor shape: the extent of every dimension, outermost first (N×C×(D×)H×W for batched data).
/// Two shapes are equal when their dimensions are equal; <see cref="ToString"/> prints <c>64×3×32×32</c>.
/// </summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly ImmutableArray<int> dims;

    private Shape(ImmutableArray<int> dims)
    {
        for (var i = 0; i < dims.Length; i++)
            if (dims[i] < 0)
                throw new ShapeException($"Shape: dimension {i} is {dims[i]}; every dimension must be ≥ 0 (shape {string.Join("×", dims)}).");
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
            if (count > int.MaxValue)
                throw new ShapeException($"Shape {string.Join("×", dims)} holds more than {int.MaxValue:N0} elements, the most one tensor can hold.");
        }
        this.dims = dims;
        Count = (int)count;
    }

    /// <summary>The shape of a single number (rank 0, one element).</summary>
    public static Shape Scalar { get; } = new(ImmutableArray<int>.Empty);

    /// <summary>A shape with the given dimensions, outermost first.</summary>
    public static Shape Of(params int[] dims) => new(ImmutableArray.Create(dims));

    /// <summary>A shape with the given dimensions, outermost first.</summary>
    public static Shape Of(IEnumerable<int> dims) => new(dims.ToImmutableArray());

    /// <summary>A vector of <paramref name="length"/> features (for Dense layers).</summary>
    public static Shape Vector(int length) => Of(length);

    /// <summary>One 1-d sample: C channels × L steps (audio, time series). Conv1d takes its batched form.</summary>
    public static Shape Sequence(int channels, int length) => Of(channels, length);

    /// <summary>One image: C×H×W. Conv2d takes its batched form N×C×H×W.</summary>
    public static Shape Image(int channels, int height, int width) => Of(channels, height, width);

    /// <summary>One volume: C×D×H×W (volumetric scans, video clips). Conv3d takes its batched form.</summary>
    public static Shape Volume(int channels, int depth, int height, int width) => Of(channels, depth, height, width);

    /// <summary>A batch of N sequences: N×C×L.</summary>
    public static Shape Sequences(int batch, int channels, int length) => Of(batch, channels, length);

    /// <summary>A batch of N images: N×C×H×W.</summary>
    public static Shape Images(int batch, int channels, int height, int width) => Of(batch, channels, height, width);

    /// <summary>A batch of N volumes: N×C×D×H×W.</summary>
    public static Shape Volumes(int batch, int channels, int depth, int height, int width) => Of(batch, channels, depth, height, width);

    /// <summary>Parses <c>3x32x32</c> (also accepts <c>×</c> and <c>,</c> as separators).</summary>
    /// <exception cref="FormatException">The text is not a list of non-negative integers.</exception>
    public static Shape Parse(string text)
    {
        var parts = text.Split(['x', 'X', '×', ','], StringSplitOptions.TrimEntries);
        var dims = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]))
                throw new FormatException($"'{text}' is not a shape: expected dimensions like 3x32x32, and '{parts[i]}' is not a non-negative integer.");
        return Of(dims);
    }

    /// <summary>Number of dimensions.</summary>
    public int Rank => dims.Length;

    /// <summary>Total number of elements: the product of the dimensions (1 for a scalar).</summary>
    public int Count { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ImmutableArray<int> Dims => dims;

    /// <summary>The extent of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => dims[Axis(axis)];

    /// <summary>
    /// The extent at an index such as <c>^1</c> (the last dimension). Declared explicitly because C# would
    /// otherwise build <c>^1</c> from <see cref="Count"/>, the element count, not the rank.
    /// </summary>
    public int this[Index axis] => dims[axis.GetOffset(Rank)];

    /// <summary>Normalises a possibly negative axis and checks it is in range.</summary>
    public int Axis(int axis)
    {
        var a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
            throw new ShapeException($"Axis {axis} is out of range for shape {this} of rank {Rank}.");
        return a;
    }

    /// <summary>The shape with the leading batch dimension N prepended.</summary>
    public Shape WithBatch(int batch) => new(dims.Insert(0, batch));

    /// <summary>The shape without its leading dimension (the per-sample shape of a batch).</summary>
    public Shape WithoutBatch() => Rank == 0
        ? throw new ShapeException("A scalar shape has no batch dimension to drop.")
        : new(dims.RemoveAt(0));

    /// <summary>The same shape with dimension <paramref name="axis"/> set to <paramref name="extent"/>.</summary>
    public Shape With(int axis, int extent) => new(dims.SetItem(Axis(axis), extent));

    /// <summary>Row-major strides, in elements.</summary>
    public int[] Strides()
    {
        var s = new int[Rank];
        var acc = 1;
        for (var i = Rank - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]; }
        return s;
    }

    /// <inheritdoc />
    public bool Equals(Shape? other) => other is not null && dims.AsSpan().SequenceEqual(other.dims.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Dimensions joined by ×, e.g. <c>64×3×32×32</c>; a scalar prints as <c>[]</c>.</summary>
    public override string ToString() => Rank == 0 ? "[]" : string.Join("×", dims);
}
