using System.Collections.Immutable;

namespace Functional.Network;

/// <summary>
/// One primitive layer of a traced network: where it is, what it does to shapes, what it costs, and how much of
/// the input one of its outputs sees. Shapes are per sample.
/// </summary>
/// <param name="Path">Parameter address (<c>features.3</c>).</param>
/// <param name="Index">Positional address (<c>0.3</c>).</param>
/// <param name="Layer">The layer's description.</param>
/// <param name="Parameters">Trainable scalars the layer owns.</param>
/// <param name="MultAdds">Multiply-accumulates of one sample's forward pass.</param>
/// <param name="Field">Receptive field of one output along each spatial dim (H, W for images), after this layer.</param>
/// <param name="Global">True once an output sees the whole input (after Dense or global pooling).</param>
/// <param name="Warning">Why this layer deserves a look (input rows or columns that no window reads), or null.</param>
/// <param name="Depth">Nesting level: 0 at the top chain, one more inside each combinator.</param>
/// <param name="Tensors">The tensors the layer owns, by full path, with their shapes: parameters first, then state.</param>
public sealed record TraceRow(string Path, string Index, string Layer, Shape Input, Shape Output, long Parameters, long MultAdds,
    ImmutableArray<ReceptiveField> Field, bool Global, string? Warning, int Depth, ImmutableArray<TensorShape> Tensors);

/// <summary>A tensor a network will own, known before it is allocated.</summary>
/// <param name="Path">Its full path, as in the model's trees (<c>layer1.0.bn1.running_mean</c>).</param>
/// <param name="Trainable">True for a parameter, false for state (running statistics).</param>
public readonly record struct TensorShape(string Path, Shape Shape, bool Trainable);

/// <summary>
/// Collects <see cref="TraceRow"/>s while a network is walked from shapes alone, and carries the receptive
/// field of the current activation from one layer to the next.
/// </summary>
public sealed class LayerTrace
{
    private readonly List<TraceRow> rows = [];

    internal LayerTrace(int spatialRank) => Field = Enumerable.Repeat(ReceptiveField.Input, Math.Max(spatialRank, 0)).ToImmutableArray();

    /// <summary>The rows so far, in forward order.</summary>
    public IReadOnlyList<TraceRow> Rows => rows;

    /// <summary>The receptive field of the current activation, per spatial dim.</summary>
    public ImmutableArray<ReceptiveField> Field { get; set; }

    /// <summary>Whether the current activation already sees the whole input.</summary>
    public bool Global { get; set; }

    /// <summary>Nesting level of the layers being traced.</summary>
    public int Depth { get; set; }

    /// <summary>Appends a row.</summary>
    public void Add(TraceRow row) => rows.Add(row);
}
