using System.Globalization;
using Functional.Backends;
using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Network.Combinators;
using Functional.Network.Primitives;
using Functional.Ops;

namespace Functional.Network.Inference;

/// <summary>
/// Turns a layer tree, its parameters and its state into the steps of an <see cref="InferencePlan"/> for one batched
/// input shape. It walks chains, names and residual blocks itself and fuses what follows a conv, a dense layer, a
/// batch norm or a residual sum; every other layer becomes a step that runs the layer's own forward.
/// </summary>
internal sealed class PlanBuilder(ExecutionContext context)
{
    private readonly List<PlanStep> _steps = [];
    private readonly List<int> _lengths = [];

    /// <summary>The steps in order.</summary>
    public IReadOnlyList<PlanStep> Steps => _steps;

    /// <summary>Each value's length in floats, by number (value 0 is the plan's input).</summary>
    public IReadOnlyList<int> Lengths => _lengths;

    /// <summary>A new value of <paramref name="shape"/>; returns its number.</summary>
    public int Value(Shape shape)
    {
        _lengths.Add(shape.Count);
        return _lengths.Count - 1;
    }

    /// <summary>Appends the steps of <paramref name="layer"/> reading value <paramref name="x"/> of shape
    /// <paramref name="shape"/>; returns the value and shape it produces.</summary>
    public (int Value, Shape Shape) Add(Layer layer, int x, Shape shape, TensorTree parameters, TensorTree state, Site site)
    {
        switch (layer)
        {
            case Named named:
                return Add(named.Layer, x, shape, parameters, state, site);
            case Chain chain:
                return AddChain(chain, x, shape, parameters, state, site);
            case Residual residual:
                return AddResidual(residual, x, shape, parameters, state, site);
            case FlattenLayer or DropoutLayer or Identity:
                return (x, layer.Infer(shape, site));   // a reshape or (in inference) nothing: the same buffer
            default:
                return AddPrimitive(layer, null, x, shape, parameters, state, site);
        }
    }

    private (int, Shape) AddChain(Chain chain, int x, Shape shape, TensorTree parameters, TensorTree state, Site site)
    {
        var layers = chain.Layers;
        for (var i = 0; i < layers.Length; i++)
        {
            var child = site.Child(i, Segment(layers, i));
            var (p, s) = (parameters.Subtree(Segment(layers, i)), state.Subtree(Segment(layers, i)));
            var layer = Unnamed(layers[i]);
            Layer? Next(int k) => i + k < layers.Length ? Unnamed(layers[i + k]) : null;
            if (layer is ConvLayer conv && Next(1) is BatchNormLayer norm && Foldable(conv, shape))
            {
                var relu = BatchNormLayer.FusesWith(Next(2)!);
                var bnSite = site.Child(i + 1, Segment(layers, i + 1));
                (x, shape) = AddConv(conv, x, shape, p, (norm, parameters.Subtree(Segment(layers, i + 1)), state.Subtree(Segment(layers, i + 1))), relu, child);
                norm.Infer(shape, bnSite);
                i += relu ? 2 : 1;
                continue;
            }
            var fuseReLU = Next(1) is { } next && BatchNormLayer.FusesWith(next) && layer is ConvLayer or DenseLayer or BatchNormLayer;
            (x, shape) = fuseReLU ? AddPrimitive(layer, true, x, shape, p, s, child) : Add(layers[i], x, shape, p, s, child);
            if (fuseReLU) i++;
        }
        return (x, shape);
    }

    private (int, Shape) AddResidual(Residual residual, int x, Shape shape, TensorTree parameters, TensorTree state, Site site)
    {
        var shortcut = residual.ShortcutFor(shape, site);
        var (main, mainShape) = Add(residual.Block, x, shape, Block(parameters), Block(state), site);
        var (side, _) = Add(shortcut, x, shape, parameters.Subtree(Residual.ShortcutName), state.Subtree(Residual.ShortcutName), site.Child(Residual.ShortcutName));
        var relu = residual.After is { } after && BatchNormLayer.FusesWith(Unnamed(after));
        var sum = Value(mainShape);
        _steps.Add(new AddStep(main, side, sum, mainShape.Count, relu));
        if (residual.After is null || relu) return (sum, mainShape);
        return Add(residual.After, sum, mainShape, parameters.Subtree(Residual.AfterName), state.Subtree(Residual.AfterName), site.Child(Residual.AfterName));
    }

    // relu: null when the layer stands alone, true when the ReLU after it runs inside its step.
    private (int, Shape) AddPrimitive(Layer layer, bool? relu, int x, Shape shape, TensorTree parameters, TensorTree state, Site site)
    {
        var output = layer.Infer(shape, site);
        switch (layer)
        {
            case ConvLayer conv when Foldable(conv, shape):
                return AddConv(conv, x, shape, parameters, null, relu == true, site);
            case DenseLayer dense:
            {
                var (w, b) = (parameters["weight"], parameters.Find("bias"));
                var y = Value(output);
                // Wᵀ stored once (K × units, row-major): B's rows are then contiguous, which small batches multiply
                // without packing B each call; the sums and their order are those of x·Wᵀ, so the bits too.
                var wt = context.Backend.Import(new HostStorage(Transposed(w.Storage.ToHost().Span, dense.Units, w.Shape[1])));
                _steps.Add(new DenseStep(x, y, new GemmGeometry(shape.Count / w.Shape[1], dense.Units, w.Shape[1]), wt, b?.Storage, relu == true));
                return (y, output);
            }
            case BatchNormLayer norm:
            {
                var y = Value(output);
                var g = new AxisGeometry(shape[0], shape[1], shape.Count / (shape[0] * shape[1]));
                _steps.Add(new BatchNormStep(x, y, g, norm.Eps, state["running_mean"].Storage, state["running_var"].Storage,
                    parameters["weight"].Storage, parameters["bias"].Storage, relu == true));
                return (y, output);
            }
            case ActivationLayer act when relu is null:
            {
                var y = Value(output);
                _steps.Add(new UnaryStep(x, y, act.Activation.Op, act.Activation.Alpha));
                return (y, output);
            }
            case PoolLayer pool:
                return AddPool(pool.Spec(shape).Geometry(shape, pool.Type == PoolType.Max ? PoolKind.Max : PoolKind.Average, pool.Description), x, output);
            case AdaptivePoolLayer adaptive:
                return AddPool(AdaptiveAvgPool.Geometry(shape, adaptive.Global ? [1] : adaptive.Size.Values, adaptive.Description), x, output);
        }
        // No step of its own (or a fused ReLU it cannot take): the layer's forward, then the ReLU as a step.
        var v = Value(output);
        _steps.Add(new LayerStep(x, v, layer, shape, parameters, state, context, site));
        if (relu != true) return (v, output);
        var r = Value(output);
        _steps.Add(new UnaryStep(v, r, UnaryOp.ReLU, 0f));
        return (r, output);
    }

    private (int, Shape) AddPool(PoolGeometry g, int x, Shape output)
    {
        var y = Value(output);
        _steps.Add(new PoolStep(x, y, g));
        return (y, output);
    }

    private (int, Shape) AddConv(ConvLayer conv, int x, Shape shape, TensorTree parameters,
        (BatchNormLayer Layer, TensorTree Parameters, TensorTree State)? norm, bool relu, Site site)
    {
        var plan = conv.Spec(shape).Plan(shape, conv.Description);
        var (w, b) = (parameters["weight"].Storage, parameters.Find("bias")?.Storage);
        if (norm is { } n)
        {
            var (fw, fb) = BatchNormFolding.Fold(w.ToHost().Span, b is null ? [] : b.ToHost().Span, plan.Geometry.OutChannels,
                n.Parameters["weight"].Span, n.Parameters["bias"].Span, n.State["running_mean"].Span, n.State["running_var"].Span, n.Layer.Eps);
            (w, b) = (context.Backend.Import(new HostStorage(fw)), context.Backend.Import(new HostStorage(fb)));
        }
        var y = Value(plan.OutputShape);
        _steps.Add(new ConvStep(x, y, plan.Geometry, w, b, relu, context.Backend.PrepareConvFilter(plan.Geometry, w)));
        return (y, plan.OutputShape);
    }

    // Convs whose padding the seam's geometry holds (zeros); other modes pad explicitly and run as layers.
    private static bool Foldable(ConvLayer conv, Shape shape) => conv.Spec(shape).Plan(shape, conv.Description).Pad is null;

    private static float[] Transposed(ReadOnlySpan<float> w, int rows, int cols)
    {
        var t = new float[w.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
        return t;
    }

    private static Layer Unnamed(Layer layer) => layer is Named n ? Unnamed(n.Layer) : layer;

    private static string Segment(IReadOnlyList<Layer> layers, int i) => layers[i] is Named n ? n.Name : i.ToString(CultureInfo.InvariantCulture);

    private static TensorTree Block(TensorTree tree) => TensorTree.Of(tree.Where(l =>
        !l.Path.StartsWith(Residual.ShortcutName + ".", StringComparison.Ordinal) && !l.Path.StartsWith(Residual.AfterName + ".", StringComparison.Ordinal)));
}
