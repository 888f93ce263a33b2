using Functional.Network.Combinators;
using Functional.Random;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Network;

/// <summary>
/// A layer is a value that describes architecture only: hyper-parameters, never tensors. From shapes alone it
/// gives its output shape and the shapes of the parameters it needs; <see cref="Init"/> turns it into a
/// <see cref="Model"/> holding parameters and state; its forward pass takes parameters explicitly and returns
/// the output together with a pullback. Layers compose with <see cref="Then"/> into new values (associative,
/// with <c>Identity</c> as unit), and two layers built the same way are equal.
/// </summary>
/// <remarks>
/// Shapes given to the public members are per sample (C×H×W for an image, no batch dim); the protected hooks
/// see batched shapes (N×C×H×W), as the operations do.
/// </remarks>
public abstract record Layer
{
    /// <summary>A short description used in summaries and errors, e.g. <c>Conv(16, 5×5, padding 2)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The per-sample output shape for a per-sample input shape, validating every layer on the way.
    /// </summary>
    /// <exception cref="ShapeException">Some layer does not fit its input; the message names the layer's
    /// position and path, the incoming shape and the rule, with numbers.</exception>
    public Shape OutputShape(Shape input) => Infer(input.WithBatch(1), Site.Root).WithoutBatch();

    /// <summary>
    /// Validates the network for <paramref name="input"/> (per sample) and initialises its parameters and state
    /// from <paramref name="seed"/>: the same seed gives the same numbers on every machine.
    /// </summary>
    /// <param name="context">Where the model runs; the fast <see cref="ExecutionContext.Cpu"/> backend on every core
    /// when not given (pass <see cref="ExecutionContext.Reference"/> for the naive test oracle). Change it later with
    /// <see cref="Model.WithContext"/>.</param>
    /// <exception cref="ShapeException">Some layer does not fit its input.</exception>
    public Model Init(Shape input, int seed, ExecutionContext? context = null)
    {
        var batched = input.WithBatch(1);
        var trees = Create(batched, Site.Root, Key.FromSeed(seed));
        var ctx = context ?? ExecutionContext.Cpu();
        // Initialised on the host from the seed, then moved into the backend's memory (nothing moves for host backends).
        return new Model(this, input, Infer(batched, Site.Root).WithoutBatch(), trees.Parameters, trees.State, ctx).WithContext(ctx);
    }

    /// <summary>Parameters of the network for <paramref name="input"/> (per sample), counted from shapes alone.</summary>
    public long ParameterCount(Shape input) => Trace(input).Sum(r => r.Parameters);

    /// <summary>
    /// Every tensor <see cref="Init"/> would create, by path and shape, without allocating any (to check a
    /// checkpoint against an architecture, or to compare paths with another framework).
    /// </summary>
    public IReadOnlyList<TensorShape> TensorShapes(Shape input) =>
        Trace(input).SelectMany(r => r.Tensors).OrderBy(t => t.Trainable ? 0 : 1).ToArray();

    /// <summary>One row per primitive layer: where it is, its shapes, parameters, mult-adds and receptive field.</summary>
    public IReadOnlyList<TraceRow> Trace(Shape input)
    {
        var trace = new LayerTrace(input.Rank - 1);
        Trace(input.WithBatch(1), Site.Root, trace);
        return trace.Rows;
    }

    /// <summary>A torchinfo-style table for a per-sample <paramref name="input"/>, from shapes alone: per layer the
    /// path, type, output shape, parameters, mult-adds and receptive field, then totals and warnings.</summary>
    /// <exception cref="ShapeException">Some layer does not fit its input.</exception>
    public Summary.ModelSummary Summary(Shape input) => Network.Summary.ModelSummary.Of(this, input);

    /// <summary>This layer followed by <paramref name="next"/>, as one flat chain (nested chains are spliced in,
    /// so <c>a.Then(b).Then(c)</c> equals <c>a.Then(b.Then(c))</c> and numbers its layers 0, 1, 2).</summary>
    public Layer Then(Layer next) => Chain.Of(this, next);

    /// <summary>The batched output shape at <paramref name="site"/>; errors are located at the site.</summary>
    protected internal abstract Shape Infer(Shape input, Site site);

    /// <summary>The parameter and state trees for a batched input, with paths relative to this layer.</summary>
    protected internal abstract NetworkTrees Create(Shape input, Site site, Key key);

    /// <summary>The forward pass over explicit parameters and state (paths relative to this layer).</summary>
    protected internal abstract LayerOutput Run(Tensor x, TensorTree parameters, TensorTree state, Pass pass, Site site);

    /// <summary>Appends this layer's summary rows for a batched input and returns the output shape.</summary>
    protected internal abstract Shape Trace(Shape input, Site site, LayerTrace trace);

    /// <summary>The description.</summary>
    public sealed override string ToString() => Description;
}

/// <summary>The two trees a layer owns: trainable parameters and non-trainable state.</summary>
public sealed record NetworkTrees(TensorTree Parameters, TensorTree State)
{
    /// <summary>No parameters and no state.</summary>
    public static NetworkTrees Empty { get; } = new(TensorTree.Empty, TensorTree.Empty);
}
