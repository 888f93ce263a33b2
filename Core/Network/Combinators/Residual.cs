using System.Collections.Immutable;
using Functional.Network.Primitives;
using Functional.Ops;
using Functional.Random;

namespace Functional.Network.Combinators;

/// <summary>
/// y = block(x) + shortcut(x). The shortcut is the identity when the block keeps the shape; otherwise, unless one
/// is given, it is ResNet's projection: a 1×1 conv with the block's stride and no bias, then batch norm. The
/// block's parameters sit at the residual's own path (so a block of named layers gives torchvision's
/// <c>conv1.weight</c>, <c>bn1.weight</c>, …) and the shortcut's under <c>downsample</c> (<c>downsample.0.weight</c>).
/// An optional <see cref="After"/> layer (ResNet's ReLU after the sum) belongs to the residual, so a chain of
/// blocks numbers one position per block, as torchvision's <c>layer1.0</c>, <c>layer1.1</c>.
/// </summary>
public sealed record Residual(Layer Block, Layer? Shortcut = null, Layer? After = null) : Layer
{
    /// <summary>The path segment of the layer applied after the sum.</summary>
    public const string AfterName = "after";

    /// <summary>The path segment of a projection shortcut, as in torchvision's ResNet.</summary>
    public const string ShortcutName = "downsample";

    /// <inheritdoc />
    public override string Description => (Shortcut is null ? "Residual" : $"Residual(shortcut {Shortcut.Description})") +
        (After is null ? "" : $" then {After.Description}");

    /// <summary>The shortcut used for a batched input: the given one, the identity, or the projection.</summary>
    /// <exception cref="ShapeException">The block's output cannot be reached from the input by a strided 1×1 conv.</exception>
    public Layer ShortcutFor(Shape input, Site site)
    {
        if (Shortcut is not null) return Shortcut;
        var output = Block.Infer(input, site);
        if (output == input) return new Identity();
        if (output.Rank != input.Rank || output.Rank < 3)
            throw new ShapeException($"{site.Describe(Description)}: the block maps {input.WithoutBatch()} to {output.WithoutBatch()}; a projection shortcut (1×1 conv + batch norm) needs N×C×spatial on both sides.");
        var stride = new int[input.Rank - 2];
        for (var d = 0; d < stride.Length; d++)
        {
            int i = input[2 + d], o = output[2 + d];
            stride[d] = o < 1 ? 1 : ShapeRules.CeilDiv(i, o);
            if (o < 1 || ShapeRules.CeilDiv(i, stride[d]) != o)
                throw new ShapeException($"{site.Describe(Description)}: the block maps {input.WithoutBatch()} to {output.WithoutBatch()}; no stride s gives a 1×1 projection {i} → {o} along spatial dim {d} (⌈{i}/s⌉ must be {o}).");
        }
        return Chain.Of(new ConvLayer(output[1], 1, PerDim.Of(stride), Padding.None, 1, Bias: false), new BatchNormLayer());
    }

    /// <inheritdoc />
    protected internal override Shape Infer(Shape input, Site site)
    {
        var output = Block.Infer(input, site);
        var shortcut = ShortcutFor(input, site).Infer(input, site.Child(ShortcutName));
        if (shortcut != output)
            throw new ShapeException($"{site.Describe(Description)}: the block gives {output.WithoutBatch()} but the shortcut gives {shortcut.WithoutBatch()}; the sum needs equal shapes.");
        return After?.Infer(output, site.Child(AfterName)) ?? output;
    }

    /// <inheritdoc />
    protected internal override NetworkTrees Create(Shape input, Site site, Key key)
    {
        Infer(input, site);
        var block = Block.Create(input, site, key.Split(0));
        var shortcut = ShortcutFor(input, site).Create(input, site.Child(ShortcutName), key.Split(1));
        var after = After?.Create(Block.Infer(input, site), site.Child(AfterName), key.Split(2)) ?? NetworkTrees.Empty;
        return new NetworkTrees(TensorTree.Concat([block.Parameters, shortcut.Parameters.Prefix(ShortcutName), after.Parameters.Prefix(AfterName)]),
            TensorTree.Concat([block.State, shortcut.State.Prefix(ShortcutName), after.State.Prefix(AfterName)]));
    }

    /// <inheritdoc />
    protected internal override LayerOutput Run(Tensor x, TensorTree parameters, TensorTree state, Pass pass, Site site)
    {
        var shortcut = ShortcutFor(x.Shape, site);
        // Both branches read x, so their input gradients are wanted exactly when their sum (dx) is. The branches are
        // differentiated at all only if that sum is wanted or they hold parameters; only then does the layer after the
        // sum owe them its input gradient.
        var branches = pass.InputGradient || Without(parameters).Count > 0 || parameters.Subtree(ShortcutName).Count > 0;
        var main = Block.Run(x, Without(parameters), Without(state), pass.ForChild(0, pass.InputGradient), site);
        var side = shortcut.Run(x, parameters.Subtree(ShortcutName), state.Subtree(ShortcutName), pass.ForChild(1, pass.InputGradient), site.Child(ShortcutName));
        var sum = Add.Forward(pass.Context, main.Output, side.Output, site.Path);
        var after = After?.Run(sum, parameters.Subtree(AfterName), state.Subtree(AfterName), pass.ForChild(2, branches), site.Child(AfterName));
        var y = after?.Output ?? sum;
        var states = TensorTree.Concat([main.State, side.State.Prefix(ShortcutName), after?.State.Prefix(AfterName) ?? TensorTree.Empty]);
        // The pullback keeps the children's pullbacks only, not their outputs, which are garbage once summed.
        var (mainBack, sideBack, afterBack) = (main.Pullback, side.Pullback, after?.Pullback);
        return new LayerOutput(y, states, dOut =>
        {
            var last = afterBack?.Invoke(dOut);
            if (pass.SingleUse) afterBack = null;
            var afterGradients = last?.Gradients.Prefix(AfterName) ?? TensorTree.Empty;
            if (!branches) return PullbackResult.ParametersOnly(afterGradients);
            var dy = last?.Input ?? dOut;
            var a = mainBack(dy);
            if (pass.SingleUse) mainBack = null!;
            var b = sideBack(dy);
            if (pass.SingleUse) sideBack = null!;
            var gradients = TensorTree.Concat([a.Gradients, b.Gradients.Prefix(ShortcutName), afterGradients]);
            return PullbackResult.For(pass, () => Add.Forward(pass.Context, a.Input, b.Input, site.Path), gradients);
        });
    }

    /// <inheritdoc />
    protected internal override Shape Trace(Shape input, Site site, LayerTrace trace)
    {
        var start = (trace.Field, trace.Global);
        trace.Depth++;
        var output = Block.Trace(input, site, trace);
        var blockField = (trace.Field, trace.Global);
        (trace.Field, trace.Global) = start;
        var shortcut = ShortcutFor(input, site);
        if (shortcut is not Identity) shortcut.Trace(input, site.Child(ShortcutName), trace);
        trace.Depth--;
        (trace.Field, trace.Global) = (Widest(blockField.Field, trace.Field), blockField.Global || trace.Global);
        if (After is not null)
        {
            trace.Depth++;
            output = After.Trace(output, site.Child(AfterName), trace);
            trace.Depth--;
        }
        return output;
    }

    internal static ImmutableArray<ReceptiveField> Widest(ImmutableArray<ReceptiveField> a, ImmutableArray<ReceptiveField> b) =>
        a.Length != b.Length ? a : a.Select((f, d) => f.Size >= b[d].Size ? f : b[d]).ToImmutableArray();

    private static TensorTree Without(TensorTree tree) => TensorTree.Of(tree.Where(l =>
        !l.Path.StartsWith(ShortcutName + ".", StringComparison.Ordinal) && !l.Path.StartsWith(AfterName + ".", StringComparison.Ordinal)));
}
