using System.Collections.Immutable;
using Functional.Network;

namespace Functional.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay, step
/// for step as <c>torch.optim.SGD</c> (the momentum buffer starts as the first gradient, not as zero).
/// </summary>
public sealed record Sgd : Optimizer
{
    /// <summary>The slot holding the momentum buffer, as PyTorch names it.</summary>
    public const string MomentumSlot = "momentum_buffer";

    internal Sgd(Schedule schedule, double momentum, double dampening, double weightDecay, bool nesterov) : base(schedule)
    {
        Check(momentum, nameof(momentum));
        Check(dampening, nameof(dampening));
        Check(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"Sgd: Nesterov momentum needs momentum > 0 and dampening 0 (got momentum {momentum}, dampening {dampening}).", nameof(nesterov));
        (Momentum, Dampening, WeightDecay, Nesterov) = (momentum, dampening, weightDecay, nesterov);
    }

    /// <summary>μ: how much of the previous direction each step keeps (0: plain SGD, no buffer).</summary>
    public double Momentum { get; }

    /// <summary>How much of each new gradient is left out of the buffer.</summary>
    public double Dampening { get; }

    /// <summary>L2 penalty: wd·p is added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the step looks ahead along the buffer (g + μ·buf instead of buf).</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override IEnumerable<string> SlotNames => Momentum != 0 ? [MomentumSlot] : [];

    /// <inheritdoc />
    protected override (IEnumerable<TensorLeaf> Parameters, ImmutableSortedDictionary<string, TensorTree> Slots) Update(
        TensorTree parameters, TensorTree gradients, OptimizerState state, double lr)
    {
        var buffers = Momentum != 0 ? state[MomentumSlot] : null;
        var next = new List<TensorLeaf>(parameters.Count);
        var nextBuffers = new List<TensorLeaf>(parameters.Count);
        foreach (var (path, p) in parameters)
        {
            // Before the first step there is no buffer yet: PyTorch starts it at the gradient.
            var old = buffers is not null && state.Step > 0 ? buffers[path] : null;
            var (updated, buffer) = Updates.Sgd(p, gradients[path], old, lr, Momentum, Dampening, WeightDecay, Nesterov);
            next.Add(new TensorLeaf(path, updated));
            if (buffer is not null) nextBuffers.Add(new TensorLeaf(path, buffer));
        }
        return (next, buffers is null ? state.Slots : state.Slots.SetItem(MomentumSlot, TensorTree.Of(nextBuffers)));
    }

    /// <summary>e.g. <c>SGD(momentum 0.9, nesterov, one-cycle peak 0.05 over 7500)</c>.</summary>
    public override string ToString() =>
        $"SGD({(Momentum != 0 ? $"momentum {Momentum:G4}{(Nesterov ? ", nesterov" : "")}, " : "")}{(WeightDecay != 0 ? $"weight decay {WeightDecay:G4}, " : "")}{Schedule})";
}
