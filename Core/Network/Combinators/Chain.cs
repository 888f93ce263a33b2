using System.Collections.Immutable;
using Functional.Network.Primitives;
using Functional.Random;

namespace Functional.Network.Combinators;

/// <summary>
/// Layers applied one after another, numbered from 0 as PyTorch's <c>nn.Sequential</c> numbers its children
/// (parameterless layers count), so child 3's weight is at <c>3.weight</c>; a <see cref="Named"/> child is
/// addressed by its name instead. The pullback runs the children's pullbacks in reverse.
/// </summary>
public sealed record Chain : Layer
{
    private Chain(ImmutableArray<Layer> layers) => Layers = layers;

    /// <summary>The children in order (never a nested chain: <see cref="Of"/> splices those in).</summary>
    public ImmutableArray<Layer> Layers { get; }

    /// <summary>The layers in order as one flat chain; nested chains are spliced in and identities dropped. One
    /// layer stays itself, and no layer at all is the identity.</summary>
    public static Layer Of(params IEnumerable<Layer> layers)
    {
        var flat = layers.SelectMany(l => l is Chain c ? c.Layers.AsEnumerable() : [l]).Where(l => l is not Identity).ToImmutableArray();
        return flat.Length switch { 0 => new Identity(), 1 => flat[0], _ => new Chain(flat) };
    }

    /// <inheritdoc />
    public override string Description => $"Chain({Layers.Length} layers)";

    /// <inheritdoc />
    protected internal override Shape Infer(Shape input, Site site)
    {
        var shape = input;
        for (var i = 0; i < Layers.Length; i++) shape = Layers[i].Infer(shape, ChildSite(site, i));
        return shape;
    }

    /// <inheritdoc />
    protected internal override NetworkTrees Create(Shape input, Site site, Key key)
    {
        var parameters = new List<TensorTree>();
        var states = new List<TensorTree>();
        var shape = input;
        for (var i = 0; i < Layers.Length; i++)
        {
            var child = ChildSite(site, i);
            var trees = Layers[i].Create(shape, child, key.Split(i));
            parameters.Add(trees.Parameters.Prefix(Segment(i)));
            states.Add(trees.State.Prefix(Segment(i)));
            shape = Layers[i].Infer(shape, child);
        }
        return new NetworkTrees(TensorTree.Concat(parameters), TensorTree.Concat(states));
    }

    /// <inheritdoc />
    protected internal override LayerOutput Run(Tensor x, TensorTree parameters, TensorTree state, Pass pass, Site site)
    {
        // Without an input gradient, the backward stops at the first child that has parameters: the children before
        // it have none to differentiate and nothing reads their input gradients, so their pullbacks never run.
        var first = pass.InputGradient ? 0 : FirstWithParameters(parameters);
        var pullbacks = new Pullback[Layers.Length];
        var states = new TensorTree[Layers.Length];
        var y = x;
        for (var i = 0; i < Layers.Length; i++)
        {
            var segment = Segment(i);
            var childPass = pass.ForChild(i, inputGradient: pass.InputGradient || i > first);
            if (ConvBlock(i) is { } block)
            {
                // A conv, ReLU, max-pool block runs as one: the conv's full-size output never becomes a tensor.
                var (convSite, poolSite) = (ChildSite(site, i), ChildSite(site, i + 2));
                // The pooling's shape errors name the pooling layer, as they would unfused.
                block.Pool.Infer(block.Conv.Infer(y.Shape, convSite), poolSite);
                var blockOutput = block.Conv.RunWithReLUMaxPool(y, parameters.Subtree(segment), state.Subtree(segment), childPass, convSite, block.Pool);
                (y, states[i]) = (blockOutput.Output, blockOutput.State.Prefix(segment));
                pullbacks[i] = blockOutput.Pullback;
                for (var j = i + 1; j <= i + 2; j++)
                {
                    states[j] = state.Subtree(Segment(j)).Prefix(Segment(j));
                    pullbacks[j] = dy => new PullbackResult(dy, TensorTree.Empty);
                }
                i += 2;
                continue;
            }
            // A batch norm runs the ReLU after it in the same pass; the ReLU's place in the backward passes dy on.
            var norm = Unnamed(Layers[i]) as BatchNormLayer;
            var fused = norm is not null && i + 1 < Layers.Length && BatchNormLayer.FusesWith(Unnamed(Layers[i + 1]));
            var output = fused
                ? norm!.RunWithReLU(y, parameters.Subtree(segment), state.Subtree(segment), childPass, ChildSite(site, i))
                : Layers[i].Run(y, parameters.Subtree(segment), state.Subtree(segment), childPass, ChildSite(site, i));
            (y, states[i]) = (output.Output, output.State.Prefix(segment));
            if (i >= first) pullbacks[i] = output.Pullback;
            if (!fused) continue;
            i++;
            states[i] = state.Subtree(Segment(i)).Prefix(Segment(i));
            if (i >= first) pullbacks[i] = dy => new PullbackResult(dy, TensorTree.Empty);
        }
        return new LayerOutput(y, TensorTree.Concat(states), dy =>
        {
            var gradients = new TensorTree[Layers.Length - first];
            for (var i = Layers.Length - 1; i >= first; i--)
            {
                var back = pullbacks[i](dy);
                if (pass.SingleUse) pullbacks[i] = null!;
                gradients[i - first] = back.Gradients.Prefix(Segment(i));
                // Only the first child's pullback was told to leave out its input gradient, and the loop ends there.
                if (i > first || pass.InputGradient) dy = back.Input;
            }
            var all = TensorTree.Concat(gradients);
            return pass.InputGradient ? new PullbackResult(dy, all) : PullbackResult.ParametersOnly(all);
        });
    }

    // Layers i, i + 1 and i + 2 as a conv, a ReLU and a max pooling, or null. The conv has parameters, so it is never
    // before the first child whose pullback runs, and the block's pullback stands for all three.
    private (ConvLayer Conv, PoolLayer Pool)? ConvBlock(int i) =>
        i + 2 < Layers.Length && Unnamed(Layers[i]) is ConvLayer conv && BatchNormLayer.FusesWith(Unnamed(Layers[i + 1]))
            && Unnamed(Layers[i + 2]) is PoolLayer { Type: PoolType.Max } pool
            ? (conv, pool) : null;

    // A name changes where the parameters live, not what the layer computes.
    private static Layer Unnamed(Layer layer) => layer is Named n ? Unnamed(n.Layer) : layer;

    private int FirstWithParameters(TensorTree parameters)
    {
        var i = 0;
        while (i < Layers.Length && parameters.Subtree(Segment(i)).Count == 0) i++;
        return i;
    }

    /// <inheritdoc />
    protected internal override Shape Trace(Shape input, Site site, LayerTrace trace)
    {
        var shape = input;
        for (var i = 0; i < Layers.Length; i++) shape = Layers[i].Trace(shape, ChildSite(site, i), trace);
        return shape;
    }

    /// <inheritdoc />
    public bool Equals(Chain? other) => other is not null && Layers.SequenceEqual(other.Layers);

    /// <inheritdoc />
    public override int GetHashCode() => Layers.Aggregate(Layers.Length, (h, l) => HashCode.Combine(h, l));

    private string Segment(int i) => Layers[i] is Named n ? n.Name : i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Site ChildSite(Site site, int i) => site.Child(i, Segment(i));
}
