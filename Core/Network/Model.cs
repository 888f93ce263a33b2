using System.Collections.Concurrent;
using Functional.Network.Inference;
using Functional.Ops;
using Functional.Random;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Network;

/// <summary>A forward pass of a whole model: output, new state tree, and the pullback to input and parameter gradients.</summary>
public sealed record ModelForward(Tensor Output, TensorTree State, Pullback Pullback);

/// <summary>
/// One training step's results: the loss, the gradient tree (the parameters' paths and shapes), the new state
/// tree (batch-norm running statistics after this batch) and the network's output.
/// </summary>
public sealed record TrainingStep(float Loss, TensorTree Gradients, TensorTree State, Tensor Output);

/// <summary>
/// An initialised network: architecture, immutable parameter and state trees, and the execution context it runs
/// in. Nothing in it changes: training produces new trees, and <c>With…</c> returns a new model that shares
/// everything else, so a model can be used from any number of threads.
/// </summary>
public sealed class Model
{
    internal Model(Layer architecture, Shape inputShape, Shape outputShape, TensorTree parameters, TensorTree state, ExecutionContext context)
    {
        Architecture = architecture;
        InputShape = inputShape;
        OutputShape = outputShape;
        Parameters = parameters;
        State = state;
        Context = context;
    }

    /// <summary>The layer this model was initialised from.</summary>
    public Layer Architecture { get; }

    /// <summary>The per-sample input shape it was initialised for (e.g. 1×28×28).</summary>
    public Shape InputShape { get; }

    /// <summary>The per-sample output shape (e.g. 10).</summary>
    public Shape OutputShape { get; }

    /// <summary>Trainable tensors by path (<c>0.weight</c>, <c>0.bias</c>, <c>3.weight</c>, …).</summary>
    public TensorTree Parameters { get; }

    /// <summary>Non-trainable tensors by path (<c>1.running_mean</c>, <c>1.running_var</c>); empty without batch norm.</summary>
    public TensorTree State { get; }

    /// <summary>Backend and threads every operation of this model runs on.</summary>
    public ExecutionContext Context { get; }

    /// <summary>The same model with other parameters (same paths and shapes).</summary>
    /// <exception cref="ArgumentException">The tree's paths or shapes differ from the current ones.</exception>
    public Model WithParameters(TensorTree parameters)
    {
        Parameters.CheckSameStructure(parameters);
        return new(Architecture, InputShape, OutputShape, parameters, State, Context);
    }

    /// <summary>The same model with another state tree (same paths and shapes), e.g. <see cref="TrainingStep.State"/>.</summary>
    /// <exception cref="ArgumentException">The tree's paths or shapes differ from the current ones.</exception>
    public Model WithState(TensorTree state)
    {
        State.CheckSameStructure(state);
        return new(Architecture, InputShape, OutputShape, Parameters, state, Context);
    }

    /// <summary>
    /// The same model running on another backend or thread count, with its parameters and state moved into that
    /// backend's memory (uploaded to a device, or downloaded from one; host tensors stay shared between host backends).
    /// </summary>
    public Model WithContext(ExecutionContext context) =>
        new(Architecture, InputShape, OutputShape, Move(Parameters, context), Move(State, context), context);

    private static TensorTree Move(TensorTree tree, ExecutionContext context) =>
        tree.Map(t => context.Backend.Import(t.Storage) is var s && ReferenceEquals(s, t.Storage) ? t : new Tensor(t.Shape, s));

    // Inference plans by batched input shape, built on first use: they hold folded copies of the parameters, so they belong to
    // this model (a model with other parameters is another object with its own plans). Created on the first Predict,
    // since a training step makes a new model each time and most never predict.
    private ConcurrentDictionary<Shape, Lazy<InferencePlan>>? _plans;

    /// <summary>
    /// The output for a batch in inference mode (running statistics, no dropout), through a plan compiled on the first
    /// call for each batch size and kept with this model: batch norms folded into the convs before them, ReLUs and
    /// residual sums fused into the steps before them, no argmax or pullback, and activation buffers reused across
    /// calls. It agrees with <see cref="Forward"/> in inference mode bit for bit where nothing is folded, and to float
    /// rounding where a batch norm is (its scale multiplies the weights before the sums instead of after).
    /// </summary>
    /// <exception cref="ShapeException">x is not a batch of the input shape, nor of another that every layer and
    /// parameter accepts (a fully convolutional model takes any spatial size its shape rules allow).</exception>
    public Tensor Predict(Tensor x)
    {
        InputShapes.Check(this, x.Shape);
        return Plan(x.Shape).Run(x);
    }

    private InferencePlan Plan(Shape input)
    {
        var plans = LazyInitializer.EnsureInitialized(ref _plans, () => new ConcurrentDictionary<Shape, Lazy<InferencePlan>>());
        return plans.GetOrAdd(input, s => new Lazy<InferencePlan>(() => new InferencePlan(this, s))).Value;
    }

    /// <summary>The number of steps of the inference plan for batches of <paramref name="batch"/> (built if needed).</summary>
    internal int PlanSteps(int batch) => Plan(InputShape.WithBatch(batch)).StepCount;

    /// <summary>
    /// The forward pass, in training mode unless <paramref name="training"/> is false, with the pullback that
    /// turns an output gradient into the input gradient and the parameter gradient tree. Unlike
    /// <see cref="LossAndGradients(Loss, Tensor, IReadOnlyList{int}, Key)"/>, it always computes the input gradient
    /// (saliency maps, adversarial inputs, gradient checks).
    /// </summary>
    /// <param name="key">Drives dropout; each layer splits its own key from it.</param>
    public ModelForward Forward(Tensor x, Key key, bool training = true)
    {
        var output = Run(x, training, key);
        return new ModelForward(output.Output, output.State, output.Pullback);
    }

    /// <summary>
    /// A training step's loss, gradients and new state against integer labels (cross-entropy). The data needs no
    /// gradient, so none is computed for it: the first layer with parameters computes only its parameters'
    /// gradients, and the parameterless layers before it are not differentiated (as PyTorch with images that do
    /// not require grad). The parameter gradients equal those of <see cref="Forward"/>'s pullback, bit for bit.
    /// </summary>
    /// <exception cref="ShapeException">x is not a batch of the input shape, or the labels do not fit the output.</exception>
    /// <exception cref="NonFiniteLossException">The loss is NaN or infinite.</exception>
    public TrainingStep LossAndGradients(Loss loss, Tensor x, IReadOnlyList<int> labels, Key key) =>
        Step(x, key, y => loss.Compute(Context, y, labels));

    /// <summary>A training step's loss, gradients and new state against a target tensor (MSE).</summary>
    public TrainingStep LossAndGradients(Loss loss, Tensor x, Tensor target, Key key) =>
        Step(x, key, y => loss.Compute(Context, y, target));

    private TrainingStep Step(Tensor x, Key key, Func<Tensor, LossResult> loss)
    {
        // The pullback runs once here, so each layer's captures can be freed as soon as its backward is done; and
        // nothing reads the gradient with respect to the data.
        var forward = Run(x, training: true, key, step: true);
        var result = loss(forward.Output);
        var back = forward.Pullback(result.Gradient);
        return new TrainingStep(result.Value, back.Gradients, forward.State, forward.Output);
    }

    private LayerOutput Run(Tensor x, bool training, Key key, bool step = false)
    {
        InputShapes.Check(this, x.Shape);
        return Architecture.Run(x, Parameters, State, new Pass(Context, training, key) { SingleUse = step, InputGradient = !step }, Site.Root);
    }

    /// <summary>E.g. <c>Model(1×28×28 → 10, 61,706 parameters, reference (1 thread))</c>.</summary>
    public override string ToString() => $"Model({InputShape} → {OutputShape}, {Parameters.ElementCount:N0} parameters, {Context})";
}
