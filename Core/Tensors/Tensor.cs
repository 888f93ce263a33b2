using Functional.Random;

namespace Functional;

/// <summary>
/// An immutable float32 tensor: a <see cref="Shape"/> and its contiguous row-major storage (NCHW for images,
/// N×C×L for sequences, N×C×D×H×W for volumes). Tensor is data only: creation, element access, reshaping and
/// comparison. Math lives in the operations (<c>Functional.Ops</c>).
/// </summary>
public sealed class Tensor
{
    internal Tensor(Shape shape, TensorStorage storage)
    {
        if (storage.Length != shape.Count)
            throw new ShapeException($"Tensor: storage holds {storage.Length} elements but shape {shape} needs {shape.Count}.");
        Shape = shape;
        Storage = storage;
    }

    /// <summary>The shape.</summary>
    public Shape Shape { get; }

    /// <summary>The storage (shared with views made by <see cref="Reshape(Functional.Shape)"/>).</summary>
    public TensorStorage Storage { get; }

    /// <summary>Number of elements.</summary>
    public int Count => Shape.Count;

    /// <summary>The elements in row-major order, read-only.</summary>
    public ReadOnlySpan<float> Span => Storage.ToHost().Span;

    /// <summary>Wraps a freshly computed array without copying. Internal: callers must not keep writing to it.</summary>
    internal static Tensor Wrap(Shape shape, float[] data) => new(shape, new HostStorage(data));

    /// <summary>A tensor holding a copy of <paramref name="data"/> (row-major).</summary>
    /// <exception cref="ShapeException">The data length differs from the shape's element count.</exception>
    public static Tensor FromArray(Shape shape, ReadOnlySpan<float> data)
    {
        if (data.Length != shape.Count)
            throw new ShapeException($"Tensor.FromArray: {data.Length} values given for shape {shape}, which holds {shape.Count}.");
        return Wrap(shape, data.ToArray());
    }

    /// <summary>A tensor holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor FromArray(Shape shape, float[] data) => FromArray(shape, (ReadOnlySpan<float>)data);

    /// <summary>A tensor holding <paramref name="data"/> rounded to float32.</summary>
    public static Tensor FromArray(Shape shape, ReadOnlySpan<double> data)
    {
        if (data.Length != shape.Count)
            throw new ShapeException($"Tensor.FromArray: {data.Length} values given for shape {shape}, which holds {shape.Count}.");
        var a = new float[data.Length];
        for (var i = 0; i < a.Length; i++) a[i] = (float)data[i];
        return Wrap(shape, a);
    }

    /// <summary>A rank-0 tensor holding one value.</summary>
    public static Tensor Scalar(float value) => Wrap(Shape.Scalar, [value]);

    /// <summary>All zeros.</summary>
    public static Tensor Zeros(Shape shape) => Wrap(shape, new float[shape.Count]);

    /// <summary>All ones.</summary>
    public static Tensor Ones(Shape shape) => Full(shape, 1f);

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, float value)
    {
        var a = new float[shape.Count];
        Array.Fill(a, value);
        return Wrap(shape, a);
    }

    /// <summary>0, 1, 2, … in row-major order (handy for worked examples).</summary>
    public static Tensor Arange(Shape shape, float start = 0f)
    {
        var a = new float[shape.Count];
        for (var i = 0; i < a.Length; i++) a[i] = start + i;
        return Wrap(shape, a);
    }

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>) from the counter-based
    /// <paramref name="key"/>: element i depends only on the key and i.</summary>
    public static Tensor Uniform(Shape shape, Key key, float low = 0f, float high = 1f)
    {
        var a = new float[shape.Count];
        for (var i = 0; i < a.Length; i++) a[i] = low + (high - low) * key.Uniform(i);
        return Wrap(shape, a);
    }

    /// <summary>Normal values with the given mean and standard deviation from <paramref name="key"/>.</summary>
    public static Tensor Normal(Shape shape, Key key, float mean = 0f, float std = 1f)
    {
        var a = new float[shape.Count];
        for (var i = 0; i < a.Length; i++) a[i] = (float)(mean + std * key.Normal(i));
        return Wrap(shape, a);
    }

    /// <summary>The element at a full index (one coordinate per dimension).</summary>
    public float this[params int[] index] => Span[FlatIndex(index)];

    /// <summary>The row-major offset of a full index, with bounds checked per dimension.</summary>
    public int FlatIndex(ReadOnlySpan<int> index)
    {
        if (index.Length != Shape.Rank)
            throw new ShapeException($"Tensor index has {index.Length} coordinates but shape {Shape} has rank {Shape.Rank}.");
        var flat = 0;
        for (var d = 0; d < index.Length; d++)
        {
            if ((uint)index[d] >= (uint)Shape[d])
                throw new IndexOutOfRangeException($"Index {index[d]} is outside dimension {d} of extent {Shape[d]} (shape {Shape}).");
            flat = flat * Shape[d] + index[d];
        }
        return flat;
    }

    /// <summary>A view with another shape of the same element count; no data is copied.</summary>
    /// <exception cref="ShapeException">The element counts differ.</exception>
    public Tensor Reshape(Shape shape) => shape.Count == Count
        ? new Tensor(shape, Storage)
        : throw new ShapeException($"Reshape: cannot view {Shape} ({Count} elements) as {shape} ({shape.Count} elements).");

    /// <summary>A view with the given dimensions; see <see cref="Reshape(Functional.Shape)"/>.</summary>
    public Tensor Reshape(params int[] dims) => Reshape(Shape.Of(dims));

    /// <summary>A copy of the elements in row-major order.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>True when shapes are equal and every |a − b| ≤ atol + rtol·|b| (b from <paramref name="other"/>).</summary>
    public bool AllClose(Tensor other, float rtol = 1e-5f, float atol = 1e-6f) =>
        Shape == other.Shape && MaxViolation(other, rtol, atol) <= 0f;

    /// <summary>The largest |a − b| over all elements, for diagnostics in tests.</summary>
    public float MaxAbsDiff(Tensor other)
    {
        if (Shape != other.Shape)
            throw new ShapeException($"MaxAbsDiff: shapes {Shape} and {other.Shape} differ.");
        var a = Span; var b = other.Span;
        var m = 0f;
        for (var i = 0; i < a.Length; i++) m = MathF.Max(m, MathF.Abs(a[i] - b[i]));
        return m;
    }

    private float MaxViolation(Tensor other, float rtol, float atol)
    {
        var a = Span; var b = other.Span;
        var worst = float.NegativeInfinity;
        for (var i = 0; i < a.Length; i++)
        {
            var excess = MathF.Abs(a[i] - b[i]) - (atol + rtol * MathF.Abs(b[i]));
            if (float.IsNaN(excess)) return float.PositiveInfinity;
            worst = MathF.Max(worst, excess);
        }
        return worst;
    }

    /// <summary>The shape and, for small tensors, the values.</summary>
    public override string ToString() => Count <= 16
        ? $"Tensor {Shape} [{string.Join(", ", ToArray())}]"
        : $"Tensor {Shape}";
}
