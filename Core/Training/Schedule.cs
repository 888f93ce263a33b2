namespace Functional.Training;

/// <summary>
/// A learning rate as a pure function of the optimizer step (0 for the first update). Schedules are values: an
/// optimizer holds one and reads it at the step its state has reached, so nothing has to be "stepped" alongside
/// the optimizer, and the rate of any step can be computed (and plotted) in advance.
/// </summary>
public abstract record Schedule
{
    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is negative.</exception>
    public double At(long step) => step >= 0
        ? Rate(step)
        : throw new ArgumentOutOfRangeException(nameof(step), step, $"{this}: the step must be ≥ 0.");

    /// <summary>The rate at a non-negative step.</summary>
    protected abstract double Rate(long step);

    /// <summary>The same rate at every step.</summary>
    public static Schedule Constant(double lr) => new ConstantSchedule(Positive(lr, nameof(lr)));

    /// <summary>
    /// PyTorch's <c>StepLR</c> counted in optimizer steps: lr·γ^⌊step / every⌋ (pass steps-per-epoch × epochs
    /// to decay per epoch).
    /// </summary>
    public static Schedule StepDecay(double lr, long every, double gamma = 0.1)
    {
        if (every < 1) throw new ArgumentOutOfRangeException(nameof(every), every, "Schedule.StepDecay: the decay period must be at least one step.");
        if (!(gamma > 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "Schedule.StepDecay: γ must be in (0, 1].");
        return new StepSchedule(Positive(lr, nameof(lr)), every, gamma);
    }

    /// <summary>
    /// PyTorch's <c>CosineAnnealingLR</c> over <paramref name="totalSteps"/>, in closed form:
    /// min + (lr − min)·(1 + cos(π·step/total))/2, then <paramref name="minLr"/> from the last step on.
    /// </summary>
    public static Schedule Cosine(double lr, long totalSteps, double minLr = 0)
    {
        Positive(lr, nameof(lr));
        if (totalSteps < 1) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "Schedule.Cosine: there must be at least one step.");
        if (!(minLr >= 0 && minLr <= lr)) throw new ArgumentOutOfRangeException(nameof(minLr), minLr, $"Schedule.Cosine: the final rate must be in [0, {lr}].");
        return new CosineSchedule(lr, totalSteps, minLr);
    }

    /// <summary>
    /// PyTorch's <c>OneCycleLR</c> (cosine annealing, two phases): from maxLr/<paramref name="divFactor"/> up to
    /// <paramref name="maxLr"/> over the first <paramref name="warmupFraction"/> of the steps, then down to
    /// maxLr/(divFactor·finalDivFactor) at step total−1, where it stays.
    /// </summary>
    public static Schedule OneCycle(double maxLr, long totalSteps, double warmupFraction = 0.3, double divFactor = 25, double finalDivFactor = 1e4)
    {
        if (totalSteps < 2) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "Schedule.OneCycle: there must be at least two steps.");
        if (!(warmupFraction > 0 && warmupFraction < 1)) throw new ArgumentOutOfRangeException(nameof(warmupFraction), warmupFraction, "Schedule.OneCycle: the warm-up fraction must be in (0, 1).");
        if (!(divFactor >= 1) || !(finalDivFactor >= 1)) throw new ArgumentOutOfRangeException(nameof(divFactor), "Schedule.OneCycle: both division factors must be ≥ 1.");
        return new OneCycleSchedule(Positive(maxLr, nameof(maxLr)), totalSteps, warmupFraction, divFactor, finalDivFactor);
    }

    /// <summary>Cosine interpolation from <paramref name="start"/> (fraction 0) to <paramref name="end"/> (fraction 1).</summary>
    internal static double Anneal(double start, double end, double fraction) =>
        end + (start - end) / 2 * (Math.Cos(Math.PI * fraction) + 1);

    private static double Positive(double lr, string name) => lr > 0 && double.IsFinite(lr)
        ? lr
        : throw new ArgumentOutOfRangeException(name, lr, "Schedule: a learning rate must be positive and finite.");
}

/// <summary>A fixed learning rate.</summary>
public sealed record ConstantSchedule(double Lr) : Schedule
{
    /// <inheritdoc />
    protected override double Rate(long step) => Lr;

    /// <summary>e.g. <c>constant 0.001</c>.</summary>
    public override string ToString() => $"constant {Lr:G4}";
}

/// <summary>lr·γ^⌊step / Every⌋.</summary>
public sealed record StepSchedule(double Lr, long Every, double Gamma) : Schedule
{
    /// <inheritdoc />
    protected override double Rate(long step) => Lr * Math.Pow(Gamma, step / Every);

    /// <summary>e.g. <c>step 0.01 ×0.1 every 1875</c>.</summary>
    public override string ToString() => $"step {Lr:G4} ×{Gamma:G4} every {Every}";
}

/// <summary>Cosine annealing from Lr to MinLr over TotalSteps.</summary>
public sealed record CosineSchedule(double Lr, long TotalSteps, double MinLr) : Schedule
{
    /// <inheritdoc />
    protected override double Rate(long step) => Anneal(Lr, MinLr, Math.Min(step, TotalSteps) / (double)TotalSteps);

    /// <summary>e.g. <c>cosine 0.01→0 over 9380</c>.</summary>
    public override string ToString() => $"cosine {Lr:G4}→{MinLr:G4} over {TotalSteps}";
}

/// <summary>The one-cycle policy: a cosine warm-up to MaxLr, then a cosine decay to a tiny rate.</summary>
public sealed record OneCycleSchedule(double MaxLr, long TotalSteps, double WarmupFraction, double DivFactor, double FinalDivFactor) : Schedule
{
    /// <summary>The rate at step 0.</summary>
    public double InitialLr => MaxLr / DivFactor;

    /// <summary>The rate at the last step.</summary>
    public double FinalLr => InitialLr / FinalDivFactor;

    /// <summary>The step at which the rate peaks (PyTorch: warm-up fraction × total − 1).</summary>
    public double PeakStep => WarmupFraction * TotalSteps - 1;

    /// <inheritdoc />
    protected override double Rate(long step)
    {
        double last = TotalSteps - 1, peak = PeakStep;
        if (step <= peak) return Anneal(InitialLr, MaxLr, peak <= 0 ? 1 : step / peak);
        return Anneal(MaxLr, FinalLr, Math.Min((step - peak) / (last - peak), 1));
    }

    /// <summary>e.g. <c>one-cycle peak 0.003 over 7500</c>.</summary>
    public override string ToString() => $"one-cycle peak {MaxLr:G4} over {TotalSteps}";
}
