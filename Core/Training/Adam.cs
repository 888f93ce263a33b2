using System.Collections.Immutable;
using Functional.Network;

namespace Functional.Training;

/// <summary>
/// Adam and AdamW, step for step as <c>torch.optim.Adam</c> and <c>torch.optim.AdamW</c>: bias-corrected first
/// and second moments; weight decay is either L2 added to the gradient (Adam) or a decoupled shrink of the
/// parameters by lr·wd before the update (AdamW, <see cref="Decoupled"/>).
/// </summary>
public sealed record Adam : Optimizer
{
    /// <summary>The slot holding the first moment, as PyTorch names it.</summary>
    public const string FirstMomentSlot = "exp_avg";

    /// <summary>The slot holding the second moment, as PyTorch names it.</summary>
    public const string SecondMomentSlot = "exp_avg_sq";

    internal Adam(Schedule schedule, double beta1, double beta2, double eps, double weightDecay, bool decoupled) : base(schedule)
    {
        Check(beta1, nameof(beta1), belowOne: true);
        Check(beta2, nameof(beta2), belowOne: true);
        Check(weightDecay, nameof(weightDecay));
        if (!(eps > 0)) throw new ArgumentException($"Adam: eps is {eps}; it must be positive.", nameof(eps));
        (Beta1, Beta2, Eps, WeightDecay, Decoupled) = (beta1, beta2, eps, weightDecay, decoupled);
    }

    /// <summary>β₁: decay of the gradient's running mean.</summary>
    public double Beta1 { get; }

    /// <summary>β₂: decay of the squared gradient's running mean.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public double Eps { get; }

    /// <summary>Weight decay: L2 on the gradient (Adam) or decoupled (AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>True for AdamW.</summary>
    public bool Decoupled { get; }

    /// <inheritdoc />
    protected override IEnumerable<string> SlotNames => [FirstMomentSlot, SecondMomentSlot];

    /// <inheritdoc />
    protected override (IEnumerable<TensorLeaf> Parameters, ImmutableSortedDictionary<string, TensorTree> Slots) Update(
        TensorTree parameters, TensorTree gradients, OptimizerState state, double lr)
    {
        TensorTree m = state[FirstMomentSlot], v = state[SecondMomentSlot];
        var next = new List<TensorLeaf>(parameters.Count);
        var nextM = new List<TensorLeaf>(parameters.Count);
        var nextV = new List<TensorLeaf>(parameters.Count);
        foreach (var (path, p) in parameters)
        {
            var (updated, m2, v2) = Updates.Adam(p, gradients[path], m[path], v[path], state.Step + 1, lr, Beta1, Beta2, Eps, WeightDecay, Decoupled);
            next.Add(new TensorLeaf(path, updated));
            nextM.Add(new TensorLeaf(path, m2));
            nextV.Add(new TensorLeaf(path, v2));
        }
        return (next, state.Slots.SetItem(FirstMomentSlot, TensorTree.Of(nextM)).SetItem(SecondMomentSlot, TensorTree.Of(nextV)));
    }

    /// <summary>e.g. <c>Adam(β 0.9/0.999, one-cycle peak 0.003 over 7500)</c>.</summary>
    public override string ToString() =>
        $"{(Decoupled ? "AdamW" : "Adam")}(β {Beta1:G4}/{Beta2:G4}{(WeightDecay != 0 ? $", weight decay {WeightDecay:G4}" : "")}, {Schedule})";
}
