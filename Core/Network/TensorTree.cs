using System.Collections;
using System.Collections.Immutable;

namespace Functional.Network;

/// <summary>One leaf of a <see cref="TensorTree"/>: a dotted path such as <c>3.weight</c> and its tensor.</summary>
public readonly record struct TensorLeaf(string Path, Tensor Value);

/// <summary>
/// An immutable tree of tensors addressed by dotted paths (<c>0.weight</c>, <c>features.3.bias</c>,
/// <c>layer1.0.downsample.1.running_mean</c>), in PyTorch's state-dict order. One type serves the three trees of
/// a network: parameters, gradients (same paths as the parameters) and state (batch-norm running statistics).
/// It is stored as a flat ordered list of leaves so that an optimizer is a plain zip over it and a checkpoint is
/// a plain list of named tensors; <see cref="Subtree"/> and <see cref="Prefix"/> give the nesting back.
/// </summary>
public sealed class TensorTree : IReadOnlyList<TensorLeaf>
{
    private readonly ImmutableArray<TensorLeaf> leaves;
    private readonly Lazy<Dictionary<string, int>> index;

    private TensorTree(ImmutableArray<TensorLeaf> leaves)
    {
        this.leaves = leaves;
        index = new Lazy<Dictionary<string, int>>(() => BuildIndex(leaves));
    }

    /// <summary>The tree with no leaves (a parameterless layer's parameters and gradients).</summary>
    public static TensorTree Empty { get; } = new(ImmutableArray<TensorLeaf>.Empty);

    /// <summary>A tree of the given leaves, in the given order.</summary>
    /// <exception cref="ArgumentException">A path is empty, malformed, or given twice.</exception>
    public static TensorTree Of(IEnumerable<TensorLeaf> leaves)
    {
        var array = leaves.ToImmutableArray();
        foreach (var leaf in array) CheckPath(leaf.Path);
        var tree = new TensorTree(array);
        _ = tree.index.Value;   // reports duplicates now, not at the first lookup
        return tree;
    }

    /// <summary>A tree of (path, tensor) pairs, in the given order.</summary>
    public static TensorTree Of(params (string Path, Tensor Value)[] leaves) =>
        Of(leaves.Select(l => new TensorLeaf(l.Path, l.Value)));

    /// <summary>Number of leaves (tensors), not of elements.</summary>
    public int Count => leaves.Length;

    /// <summary>Total number of scalars over every leaf (the parameter count of a parameter tree).</summary>
    public long ElementCount => leaves.Sum(l => (long)l.Value.Count);

    /// <summary>The paths in order.</summary>
    public IEnumerable<string> Paths => leaves.Select(l => l.Path);

    /// <summary>The leaf at position <paramref name="i"/> in order.</summary>
    public TensorLeaf this[int i] => leaves[i];

    /// <summary>The tensor at <paramref name="path"/>.</summary>
    /// <exception cref="KeyNotFoundException">No leaf has that path; the message lists the paths that exist.</exception>
    public Tensor this[string path] => TryGet(path, out var t)
        ? t
        : throw new KeyNotFoundException($"No tensor at path '{path}'; the tree holds {Describe()}.");

    /// <summary>Whether a leaf has this path.</summary>
    public bool Contains(string path) => index.Value.ContainsKey(path);

    /// <summary>The tensor at <paramref name="path"/>, or null when there is none.</summary>
    public Tensor? Find(string path) => TryGet(path, out var t) ? t : null;

    /// <summary>The same paths with <paramref name="f"/> applied to every tensor.</summary>
    public TensorTree Map(Func<Tensor, Tensor> f) => new(leaves.Select(l => l with { Value = f(l.Value) }).ToImmutableArray());

    /// <summary>The same paths with <paramref name="f"/>(path, tensor) applied to every leaf.</summary>
    public TensorTree Map(Func<string, Tensor, Tensor> f) => new(leaves.Select(l => l with { Value = f(l.Path, l.Value) }).ToImmutableArray());

    /// <summary>
    /// Combines two trees of the same structure leaf by leaf (e.g. parameters and gradients into new parameters).
    /// Leaves are matched by path, and the result keeps this tree's order.
    /// </summary>
    /// <exception cref="ArgumentException">The trees do not have the same paths; the message names the first difference.</exception>
    public TensorTree Zip(TensorTree other, Func<Tensor, Tensor, Tensor> f)
    {
        CheckSameStructure(other);
        return new(leaves.Select(l => l with { Value = f(l.Value, other[l.Path]) }).ToImmutableArray());
    }

    /// <summary>Combines three trees of the same structure leaf by leaf (parameters, gradients, optimizer moments).</summary>
    /// <exception cref="ArgumentException">The trees do not have the same paths.</exception>
    public TensorTree Zip(TensorTree second, TensorTree third, Func<Tensor, Tensor, Tensor, Tensor> f)
    {
        CheckSameStructure(second);
        CheckSameStructure(third);
        return new(leaves.Select(l => l with { Value = f(l.Value, second[l.Path], third[l.Path]) }).ToImmutableArray());
    }

    /// <summary>Whether <paramref name="other"/> has exactly these paths, each with a tensor of the same shape.</summary>
    public bool SameStructure(TensorTree other) => StructureDifference(other) is null;

    /// <summary>Throws unless <paramref name="other"/> has these paths and shapes.</summary>
    /// <exception cref="ArgumentException">The first path or shape that differs.</exception>
    public void CheckSameStructure(TensorTree other)
    {
        if (StructureDifference(other) is { } why) throw new ArgumentException($"The trees differ: {why}.", nameof(other));
    }

    /// <summary>This tree with the tensor at an existing <paramref name="path"/> replaced (same shape required).</summary>
    /// <exception cref="KeyNotFoundException">No such path.</exception>
    /// <exception cref="ShapeException">The new tensor's shape differs from the old one.</exception>
    public TensorTree With(string path, Tensor value)
    {
        var old = this[path];
        if (old.Shape != value.Shape)
            throw new ShapeException($"TensorTree.With: '{path}' holds {old.Shape}; the replacement {value.Shape} must have the same shape.");
        return new(leaves.SetItem(index.Value[path], new TensorLeaf(path, value)));
    }

    /// <summary>The leaves under <paramref name="prefix"/> (a path segment such as <c>3</c> or <c>features.0</c>), with it removed.</summary>
    public TensorTree Subtree(string prefix)
    {
        var p = prefix + ".";
        return new(leaves.Where(l => l.Path.StartsWith(p, StringComparison.Ordinal))
            .Select(l => l with { Path = l.Path[p.Length..] }).ToImmutableArray());
    }

    /// <summary>Every path with <paramref name="prefix"/> and a dot put in front (an empty prefix changes nothing).</summary>
    public TensorTree Prefix(string prefix) => prefix.Length == 0 ? this
        : new(leaves.Select(l => l with { Path = $"{prefix}.{l.Path}" }).ToImmutableArray());

    /// <summary>The leaves of several trees one after the other.</summary>
    /// <exception cref="ArgumentException">Two trees share a path.</exception>
    public static TensorTree Concat(IEnumerable<TensorTree> trees) => Of(trees.SelectMany(t => t.leaves));

    /// <summary>An enumerator over the leaves in order.</summary>
    public IEnumerator<TensorLeaf> GetEnumerator() => ((IEnumerable<TensorLeaf>)leaves).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One line per leaf: path and shape.</summary>
    public override string ToString() => string.Join(Environment.NewLine, leaves.Select(l => $"{l.Path}: {l.Value.Shape}"));

    private bool TryGet(string path, out Tensor value)
    {
        var found = index.Value.TryGetValue(path, out var i);
        value = found ? leaves[i].Value : null!;
        return found;
    }

    private string? StructureDifference(TensorTree other)
    {
        if (other.Count != Count) return $"{Count} leaves against {other.Count}";
        foreach (var l in leaves)
        {
            var t = other.Find(l.Path);
            if (t is null) return $"'{l.Path}' is missing from the second tree";
            if (t.Shape != l.Value.Shape) return $"'{l.Path}' is {l.Value.Shape} in one tree and {t.Shape} in the other";
        }
        return null;
    }

    private string Describe() => leaves.Length == 0 ? "no tensors"
        : leaves.Length <= 12 ? string.Join(", ", leaves.Select(l => l.Path))
        : $"{leaves.Length} tensors ({string.Join(", ", leaves.Take(6).Select(l => l.Path))}, …)";

    private static void CheckPath(string path)
    {
        if (string.IsNullOrEmpty(path) || path.StartsWith('.') || path.EndsWith('.') || path.Contains(".."))
            throw new ArgumentException($"'{path}' is not a tree path: paths are non-empty dot-separated segments such as '3.weight'.");
    }

    private static Dictionary<string, int> BuildIndex(ImmutableArray<TensorLeaf> leaves)
    {
        var d = new Dictionary<string, int>(leaves.Length, StringComparer.Ordinal);
        for (var i = 0; i < leaves.Length; i++)
            if (!d.TryAdd(leaves[i].Path, i))
                throw new ArgumentException($"The path '{leaves[i].Path}' appears twice in one tree; every leaf needs its own path.");
        return d;
    }
}
