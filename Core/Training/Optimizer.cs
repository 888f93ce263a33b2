using System.Collections.Immutable;
using Functional.Network;

namespace Functional.Training;

/// <summary>
/// An optimizer's state as a value: the number of steps taken and its per-parameter tensors ("slots"), each a
/// tree with the parameters' paths and shapes, named as in PyTorch's <c>state_dict</c> (<c>momentum_buffer</c>,
/// <c>exp_avg</c>, <c>exp_avg_sq</c>). A step returns a new state; the old one stays valid.
/// </summary>
/// <param name="Step">Optimizer steps taken; the schedule is read at this step for the next update.</param>
/// <param name="Slots">The per-parameter trees by name; empty for plain SGD.</param>
public sealed record OptimizerState(long Step, ImmutableSortedDictionary<string, TensorTree> Slots)
{
    /// <summary>The slot tree named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such slot; the message lists the slots there are.</exception>
    public TensorTree this[string name] => Slots.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"OptimizerState has no slot '{name}'; it has {(Slots.IsEmpty ? "none" : string.Join(", ", Slots.Keys))}.");
}

/// <summary>
/// An optimizer as a pure function: <see cref="Step(TensorTree, TensorTree, OptimizerState)"/> zips the parameter,
/// gradient and state trees into new parameter and state trees and mutates nothing, so a model from before the
/// step stays exactly as it was. The learning rate comes from a <see cref="Training.Schedule"/> read at the step
/// count held in the state. Hyper-parameters mean what they mean in <c>torch.optim</c>.
/// </summary>
public abstract record Optimizer
{
    /// <summary>Creates an optimizer following <paramref name="schedule"/>.</summary>
    protected Optimizer(Schedule schedule) => Schedule = schedule;

    /// <summary>The learning rate at each step.</summary>
    public Schedule Schedule { get; init; }

    /// <summary>The slot names this optimizer keeps, e.g. <c>exp_avg</c> and <c>exp_avg_sq</c> for Adam.</summary>
    protected abstract IEnumerable<string> SlotNames { get; }

    /// <summary>The state before the first step: step 0 and zero slots shaped like <paramref name="parameters"/>.</summary>
    public OptimizerState Init(TensorTree parameters)
    {
        // Zeros made where each parameter lives, so a device model's slots never cross the bus.
        var zeros = parameters.Map(p => new Tensor(p.Shape, Updates.BackendOf(p).Allocate(p.Count)));
        return new OptimizerState(0, SlotNames.ToImmutableSortedDictionary(n => n, _ => zeros, StringComparer.Ordinal));
    }

    /// <summary>The state before the first step for <paramref name="model"/>'s parameters.</summary>
    public OptimizerState Init(Model model) => Init(model.Parameters);

    /// <summary>One update: new parameters and a new state with the step count advanced by one.</summary>
    /// <exception cref="ArgumentException">The gradient or a slot tree does not have the parameters' paths and
    /// shapes; the message names the first difference.</exception>
    public (TensorTree Parameters, OptimizerState State) Step(TensorTree parameters, TensorTree gradients, OptimizerState state)
    {
        parameters.CheckSameStructure(gradients);
        foreach (var (name, slot) in state.Slots)
        {
            try { parameters.CheckSameStructure(slot); }
            catch (ArgumentException e) { throw new ArgumentException($"{this}: optimizer slot '{name}' does not fit the parameters. {e.Message}", e); }
        }
        var updated = Update(parameters, gradients, state, Schedule.At(state.Step));
        return (TensorTree.Of(updated.Parameters), new OptimizerState(state.Step + 1, updated.Slots));
    }

    /// <summary>One update of <paramref name="model"/>'s parameters (its state tree is left as it is).</summary>
    public (Model Model, OptimizerState State) Step(Model model, TensorTree gradients, OptimizerState state)
    {
        var (parameters, next) = Step(model.Parameters, gradients, state);
        return (model.WithParameters(parameters), next);
    }

    /// <summary>The learning rate the next step of <paramref name="state"/> will use.</summary>
    public double LearningRate(OptimizerState state) => Schedule.At(state.Step);

    /// <summary>The arithmetic of one step at rate <paramref name="lr"/>, over trees already checked to match.</summary>
    protected abstract (IEnumerable<TensorLeaf> Parameters, ImmutableSortedDictionary<string, TensorTree> Slots) Update(
        TensorTree parameters, TensorTree gradients, OptimizerState state, double lr);

    /// <summary>SGD (<c>torch.optim.SGD</c>) at a fixed learning rate.</summary>
    public static Sgd Sgd(double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false) =>
        Sgd(Schedule.Constant(lr), momentum, dampening, weightDecay, nesterov);

    /// <summary>SGD (<c>torch.optim.SGD</c>) following a schedule.</summary>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range, or Nesterov is asked for without
    /// momentum or with dampening (PyTorch's rule).</exception>
    public static Sgd Sgd(Schedule schedule, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false) =>
        new(schedule, momentum, dampening, weightDecay, nesterov);

    /// <summary>Adam (<c>torch.optim.Adam</c>; weight decay is L2 added to the gradient) at a fixed rate.</summary>
    public static Adam Adam(double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0) =>
        Adam(Schedule.Constant(lr), beta1, beta2, eps, weightDecay);

    /// <summary>Adam following a schedule.</summary>
    public static Adam Adam(Schedule schedule, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0) =>
        new(schedule, beta1, beta2, eps, weightDecay, decoupled: false);

    /// <summary>AdamW (<c>torch.optim.AdamW</c>; decoupled weight decay p ← p·(1 − lr·wd)) at a fixed rate.</summary>
    public static Adam AdamW(double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01) =>
        AdamW(Schedule.Constant(lr), beta1, beta2, eps, weightDecay);

    /// <summary>AdamW following a schedule.</summary>
    public static Adam AdamW(Schedule schedule, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01) =>
        new(schedule, beta1, beta2, eps, weightDecay, decoupled: true);

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> (&lt; 1 when <paramref name="belowOne"/>).</summary>
    private protected void Check(double value, string name, bool belowOne = false)
    {
        if (!(value >= 0) || (belowOne ? !(value < 1) : !double.IsFinite(value)))
            throw new ArgumentException($"{GetType().Name}: {name} is {value}; it must be in [0, {(belowOne ? "1)" : "∞)")}.", name);
    }
}
