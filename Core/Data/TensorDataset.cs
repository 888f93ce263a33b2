namespace Functional.Data;

/// <summary>
/// An immutable dataset of float inputs of any per-sample shape (a vector, a sequence C×L, an image C×H×W, a volume
/// C×D×H×W), each with a class label or a float target of a fixed shape. Unlike <see cref="Dataset"/> it holds the
/// inputs as given, already scaled: no normalisation is applied by its loader.
/// </summary>
public sealed class TensorDataset
{
    private readonly float[] inputs;
    private readonly int[]? labels;
    private readonly float[]? targets;

    private TensorDataset(Shape sampleShape, float[] inputs, int[]? labels, int classes, Shape? targetShape, float[]? targets)
    {
        if (sampleShape.Count == 0) throw new ShapeException($"TensorDataset: the sample shape {sampleShape} holds no values.");
        if (inputs.Length % sampleShape.Count != 0)
            throw new ShapeException($"TensorDataset: {inputs.Length:N0} input values are not a whole number of samples of {sampleShape} ({sampleShape.Count} values each).");
        var count = inputs.Length / sampleShape.Count;
        if (labels is not null && labels.Length != count)
            throw new ShapeException($"TensorDataset: {count:N0} samples of {sampleShape} but {labels.Length:N0} labels.");
        if (targets is not null && targets.Length != (long)count * targetShape!.Count)
            throw new ShapeException($"TensorDataset: {count:N0} samples of {sampleShape} need {(long)count * targetShape.Count:N0} target values of {targetShape}, got {targets.Length:N0}.");
        SampleShape = sampleShape;
        this.inputs = inputs;
        this.labels = labels;
        Classes = classes;
        TargetShape = targetShape;
        this.targets = targets;
        Count = count;
    }

    /// <summary>A classification dataset: copies of <paramref name="inputs"/> (N·sample values, row-major) and one label in 0..classes−1 per sample.</summary>
    /// <exception cref="ShapeException">The counts do not fit the sample shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside 0..classes−1.</exception>
    public static TensorDataset WithLabels(Shape sampleShape, ReadOnlySpan<float> inputs, ReadOnlySpan<int> labels, int classes)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, "TensorDataset: there must be at least one class.");
        for (var i = 0; i < labels.Length; i++)
            if ((uint)labels[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"TensorDataset: label {i} is {labels[i]} but there are {classes} classes.");
        return new(sampleShape, inputs.ToArray(), labels.ToArray(), classes, null, null);
    }

    /// <summary>A regression dataset: copies of <paramref name="inputs"/> and one target of <paramref name="targetShape"/> per sample (e.g. <c>Shape.Of(1)</c>).</summary>
    /// <exception cref="ShapeException">The counts do not fit the shapes.</exception>
    public static TensorDataset WithTargets(Shape sampleShape, ReadOnlySpan<float> inputs, Shape targetShape, ReadOnlySpan<float> targets) =>
        new(sampleShape, inputs.ToArray(), null, 0, targetShape, targets.ToArray());

    /// <summary>The shape of one input, without the batch dim.</summary>
    public Shape SampleShape { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Number of classes for a labelled dataset; 0 for one with targets.</summary>
    public int Classes { get; }

    /// <summary>The shape of one target, or null for a labelled dataset.</summary>
    public Shape? TargetShape { get; }

    /// <summary>Whether samples carry float targets (regression) rather than labels.</summary>
    public bool HasTargets => targets is not null;

    /// <summary>The samples at <paramref name="indices"/> as one batch, in that order.</summary>
    public Batch Gather(ReadOnlySpan<int> indices)
    {
        var size = SampleShape.Count;
        var x = new float[indices.Length * size];
        var y = targets is null ? null : new float[indices.Length * TargetShape!.Count];
        var l = labels is null ? [] : new int[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var j = indices[i];
            if ((uint)j >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(indices), j, $"TensorDataset: sample {j} does not exist; there are {Count}.");
            inputs.AsSpan(j * size, size).CopyTo(x.AsSpan(i * size));
            if (labels is not null) l[i] = labels[j];
            if (y is not null) targets.AsSpan(j * TargetShape!.Count, TargetShape.Count).CopyTo(y.AsSpan(i * TargetShape.Count));
        }
        return new Batch(Tensor.Wrap(SampleShape.WithBatch(indices.Length), x), l, indices.ToArray())
        {
            Targets = y is null ? null : Tensor.Wrap(TargetShape!.WithBatch(indices.Length), y),
        };
    }

    /// <summary>Size and kind, e.g. <c>TensorDataset 200 × 1, targets 1</c>.</summary>
    public override string ToString() => $"TensorDataset {Count} × {SampleShape}, {(HasTargets ? $"targets {TargetShape}" : $"{Classes} classes")}";
}
