using System.Collections.Immutable;
using Functional.Random;

namespace Functional.Network.Primitives;

/// <summary>
/// One sliding window along one spatial dim, for receptive fields and the unread-input warning: kernel, stride,
/// dilation and the padding before the first element.
/// </summary>
public readonly record struct Window(int Kernel, int Stride, int Dilation, int PadBefore);

/// <summary>
/// A layer that is one operation (conv, pooling, activation, …), as opposed to a combinator. It declares its
/// output shape, its parameter and state specs, and its forward pass with pullback; the base class builds the
/// trees, locates errors at the layer's site and reports summary rows.
/// </summary>
public abstract record Primitive : Layer
{
    /// <summary>The batched output shape; errors need not name the layer, the site is added around them.</summary>
    protected abstract Shape Output(Shape input);

    /// <summary>The trainable tensors for a batched input, in checkpoint order.</summary>
    public virtual IReadOnlyList<ParameterSpec> Parameters(Shape input) => [];

    /// <summary>The non-trainable state tensors (running statistics) for a batched input.</summary>
    public virtual IReadOnlyList<ParameterSpec> StateSpecs(Shape input) => [];

    /// <summary>The forward pass over this layer's own parameters and state (paths <c>weight</c>, <c>bias</c>, …).</summary>
    protected abstract LayerOutput Apply(Tensor x, TensorTree parameters, TensorTree state, Pass pass);

    /// <summary>Multiply-accumulates of one sample's forward pass (0 for layers that only move or compare data).</summary>
    public virtual long MultAdds(Shape input, Shape output) => 0;

    /// <summary>The sliding windows per spatial dim, or null when the layer is element-wise or not a window.</summary>
    public virtual IReadOnlyList<Window>? Windows(Shape input) => null;

    /// <summary>Whether each output sees every input element (Dense, global pooling).</summary>
    public virtual bool SeesWholeInput => false;

    /// <inheritdoc />
    protected internal sealed override Shape Infer(Shape input, Site site) => site.Locate(Description, () => Output(input));

    /// <inheritdoc />
    protected internal sealed override NetworkTrees Create(Shape input, Site site, Key key)
    {
        Infer(input, site);
        return new NetworkTrees(Build(Parameters(input), key.Split(0)), Build(StateSpecs(input), key.Split(1)));
    }

    /// <inheritdoc />
    protected internal sealed override LayerOutput Run(Tensor x, TensorTree parameters, TensorTree state, Pass pass, Site site) =>
        site.Locate(Description, () => Apply(x, parameters, state, pass));

    /// <inheritdoc />
    protected internal sealed override Shape Trace(Shape input, Site site, LayerTrace trace)
    {
        var output = Infer(input, site);
        var windows = Windows(input);
        string? warning = null;
        if (windows is not null && windows.Count == trace.Field.Length)
        {
            trace.Field = trace.Field.Select((f, d) => f.Then(windows[d].Kernel, windows[d].Stride, windows[d].Dilation, windows[d].PadBefore)).ToImmutableArray();
            warning = Unread(input, output, windows);
        }
        if (SeesWholeInput) trace.Global = true;
        var specs = Parameters(input);
        var tensors = specs.Select(p => new TensorShape(Site.Join(site.Path, p.Name), p.Shape, true))
            .Concat(StateSpecs(input).Select(p => new TensorShape(Site.Join(site.Path, p.Name), p.Shape, false))).ToImmutableArray();
        trace.Add(new TraceRow(site.Path, site.Index, Description, input.WithoutBatch(), output.WithoutBatch(), specs.Sum(p => (long)p.Shape.Count),
            MultAdds(input, output), trace.Field, trace.Global, warning, trace.Depth, tensors));
        return output;
    }

    /// <summary>The gradient tree of a layer with a <c>weight</c> and an optional <c>bias</c>.</summary>
    protected static TensorTree WeightAndBias(Tensor weight, Tensor? bias) =>
        bias is null ? TensorTree.Of(("weight", weight)) : TensorTree.Of(("weight", weight), ("bias", bias));

    private static TensorTree Build(IReadOnlyList<ParameterSpec> specs, Key key) =>
        specs.Count == 0 ? TensorTree.Empty
            : TensorTree.Of(specs.Select((s, j) => new TensorLeaf(s.Name, s.Initialize(s.Shape, key.Split(j)))));

    // The notes' "invalid stride": the floor in the output formula silently drops trailing rows or columns.
    private static string? Unread(Shape input, Shape output, IReadOnlyList<Window> windows)
    {
        var names = windows.Count switch { 1 => new[] { "L" }, 2 => ["H", "W"], _ => ["D", "H", "W"] };
        var parts = new List<string>();
        for (var d = 0; d < windows.Count; d++)
        {
            var w = windows[d];
            var unread = ShapeRules.UnreadTrailing(input[2 + d], w.Kernel, w.Stride, w.PadBefore, w.Dilation, output[2 + d]);
            if (unread > 0) parts.Add($"the last {unread} of {input[2 + d]} along {names[d]}");
        }
        return parts.Count == 0 ? null : $"stride leaves {string.Join(" and ", parts)} unread";
    }
}
