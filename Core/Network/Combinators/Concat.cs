using System.Collections.Immutable;
using Functional.Random;

namespace Functional.Network.Combinators;

/// <summary>
/// Branches that all read the same input, their outputs concatenated along channels (Inception-style). Branch i's
/// parameters live under <c>i.</c> (or its name); every branch must give the same non-channel dims.
/// </summary>
public sealed record Concat : Layer
{
    /// <summary>Concatenates the outputs of <paramref name="branches"/> (at least one).</summary>
    public Concat(params IEnumerable<Layer> branches)
    {
        Branches = branches.ToImmutableArray();
        if (Branches.Length == 0) throw new ArgumentException("Concat needs at least one branch.", nameof(branches));
    }

    /// <summary>The branches in output-channel order.</summary>
    public ImmutableArray<Layer> Branches { get; }

    /// <inheritdoc />
    public override string Description => $"Concat({Branches.Length} branches)";

    /// <inheritdoc />
    protected internal override Shape Infer(Shape input, Site site)
    {
        var outputs = Branches.Select((b, i) => b.Infer(input, ChildSite(site, i))).ToArray();
        return site.Locate(Description, () => Ops.Concat.OutputShape(outputs));
    }

    /// <inheritdoc />
    protected internal override NetworkTrees Create(Shape input, Site site, Key key)
    {
        Infer(input, site);
        var trees = Branches.Select((b, i) => b.Create(input, ChildSite(site, i), key.Split(i))).ToArray();
        return new NetworkTrees(TensorTree.Concat(trees.Select((t, i) => t.Parameters.Prefix(Segment(i)))),
            TensorTree.Concat(trees.Select((t, i) => t.State.Prefix(Segment(i)))));
    }

    /// <inheritdoc />
    protected internal override LayerOutput Run(Tensor x, TensorTree parameters, TensorTree state, Pass pass, Site site)
    {
        var outputs = Branches.Select((b, i) => b.Run(x, parameters.Subtree(Segment(i)), state.Subtree(Segment(i)), pass.ForChild(i, pass.InputGradient), ChildSite(site, i))).ToArray();
        var shapes = outputs.Select(o => o.Output.Shape).ToArray();
        var y = Ops.Concat.Forward(pass.Context, outputs.Select(o => o.Output).ToArray());
        // Only the branches' pullbacks are kept: their outputs are copied into y and are garbage after the forward.
        var pullbacks = outputs.Select(o => o.Pullback).ToArray();
        return new LayerOutput(y, TensorTree.Concat(outputs.Select((o, i) => o.State.Prefix(Segment(i)))), dy =>
        {
            var pieces = Ops.Concat.Backward(pass.Context, shapes, dy).Inputs;
            var backs = new PullbackResult[pullbacks.Length];
            for (var i = 0; i < backs.Length; i++)
            {
                backs[i] = pullbacks[i](pieces[i]);
                if (pass.SingleUse) pullbacks[i] = null!;
            }
            // Every branch reads x: their input gradients are wanted, and summed, exactly when dx is.
            return PullbackResult.For(pass, () => backs.Skip(1).Aggregate(backs[0].Input, (acc, b) => Ops.Add.Forward(pass.Context, acc, b.Input)),
                TensorTree.Concat(backs.Select((b, i) => b.Gradients.Prefix(Segment(i)))));
        });
    }

    /// <inheritdoc />
    protected internal override Shape Trace(Shape input, Site site, LayerTrace trace)
    {
        var start = (trace.Field, trace.Global);
        var widest = start;
        trace.Depth++;
        for (var i = 0; i < Branches.Length; i++)
        {
            (trace.Field, trace.Global) = start;
            Branches[i].Trace(input, ChildSite(site, i), trace);
            widest = (Residual.Widest(widest.Field, trace.Field), widest.Global || trace.Global);
        }
        trace.Depth--;
        (trace.Field, trace.Global) = widest;
        return Infer(input, site);
    }

    /// <inheritdoc />
    public bool Equals(Concat? other) => other is not null && Branches.SequenceEqual(other.Branches);

    /// <inheritdoc />
    public override int GetHashCode() => Branches.Aggregate(Branches.Length, (h, l) => HashCode.Combine(h, l));

    private string Segment(int i) => Branches[i] is Named n ? n.Name : i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Site ChildSite(Site site, int i) => site.Child(i, Segment(i));
}
