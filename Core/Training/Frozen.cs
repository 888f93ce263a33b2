using System.Collections.Immutable;
using Functional.Network;

namespace Functional.Training;

/// <summary>
/// An optimizer that leaves named subtrees of the parameters untouched (a frozen backbone) and updates the rest
/// with <see cref="Inner"/>. It meets the explicit gradient records as a mask by path: the gradient tree keeps the
/// parameters' full structure (so every check and checkpoint sees one shape of tree), and this optimizer hands the
/// inner one only the leaves outside the frozen prefixes, with their slots; frozen parameters and their slots come
/// back as they went in. A prefix names a layer path as in the parameter tree (<c>features</c>, <c>0</c>,
/// <c>layer1.0</c>): it freezes that path and everything below it.
/// </summary>
public sealed record Frozen : Optimizer
{
    /// <summary>Wraps <paramref name="inner"/>, freezing every parameter under one of <paramref name="prefixes"/>.</summary>
    public Frozen(Optimizer inner, IEnumerable<string> prefixes) : base(inner.Schedule)
    {
        Inner = inner;
        Prefixes = [.. prefixes];
    }

    /// <summary>The optimizer that updates the parameters that are not frozen.</summary>
    public Optimizer Inner { get; }

    /// <summary>The frozen subtrees' paths.</summary>
    public ImmutableArray<string> Prefixes { get; }

    /// <summary>Whether the parameter at <paramref name="path"/> is frozen.</summary>
    public bool IsFrozen(string path) => Prefixes.Any(p => path == p || path.StartsWith(p + ".", StringComparison.Ordinal));

    /// <inheritdoc />
    protected override IEnumerable<string> SlotNames => Inner.Init(TensorTree.Empty).Slots.Keys;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A prefix matches no parameter (a misspelt path would freeze nothing).</exception>
    protected override (IEnumerable<TensorLeaf> Parameters, ImmutableSortedDictionary<string, TensorTree> Slots) Update(
        TensorTree parameters, TensorTree gradients, OptimizerState state, double lr)
    {
        foreach (var prefix in Prefixes)
            if (!parameters.Paths.Any(p => p == prefix || p.StartsWith(prefix + ".", StringComparison.Ordinal)))
                throw new ArgumentException($"{this}: no parameter lies under '{prefix}'; the parameters are {string.Join(", ", parameters.Paths)}.");
        var live = parameters.Paths.Where(p => !IsFrozen(p)).ToHashSet();
        TensorTree Live(TensorTree t) => TensorTree.Of(t.Where(l => live.Contains(l.Path)));
        var innerState = new OptimizerState(state.Step, state.Slots.ToImmutableSortedDictionary(s => s.Key, s => Live(s.Value), StringComparer.Ordinal));
        var (updated, next) = Inner.Step(Live(parameters), Live(gradients), innerState);
        TensorTree Merge(TensorTree all, TensorTree changed) => TensorTree.Of(all.Select(l => live.Contains(l.Path) ? new TensorLeaf(l.Path, changed[l.Path]) : l));
        return (Merge(parameters, updated),
            state.Slots.ToImmutableSortedDictionary(s => s.Key, s => Merge(s.Value, next.Slots[s.Key]), StringComparer.Ordinal));
    }

    /// <summary>E.g. <c>Adam(…) with features frozen</c>.</summary>
    public override string ToString() => $"{Inner} with {string.Join(", ", Prefixes)} frozen";
}

/// <summary>Freezing as a modifier of any optimizer.</summary>
public static class FreezingExtensions
{
    /// <summary><paramref name="optimizer"/> with the parameters under <paramref name="prefixes"/> left as they are.</summary>
    public static Frozen Freezing(this Optimizer optimizer, params string[] prefixes) => new(optimizer, prefixes);
}
