using Functional.Network;
using Functional.Network.Summary;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Research;

/// <summary>Progress of a sweep, for logs and displays: variant <paramref name="Index"/> (from 1) of <paramref name="Count"/> begins.</summary>
public sealed record SweepProgress(int Index, int Count, Variant Variant);

/// <summary>
/// A study as a value: named architecture variants sharing one per-sample input shape, plus probes measured on
/// each freshly initialised model. <see cref="Run"/> computes every variant's static figures (parameters,
/// mult-adds, receptive field, activation memory) from shapes alone, evaluates the probes, and, when given a
/// training function, trains each variant briefly and records its accuracy and speed.
/// </summary>
public sealed record Sweep
{
    /// <summary>A sweep over <paramref name="variants"/> for per-sample <paramref name="input"/> (e.g. 1×28×28).</summary>
    /// <exception cref="ArgumentException">No variants, or two share a name.</exception>
    /// <exception cref="ShapeException">A variant does not fit the input; the message names the variant and the layer.</exception>
    public Sweep(Shape input, IReadOnlyList<Variant> variants, IReadOnlyList<Probe>? probes = null)
    {
        if (variants.Count == 0) throw new ArgumentException("Sweep: give at least one variant.", nameof(variants));
        var duplicate = variants.GroupBy(v => v.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Sweep: {duplicate.Count()} variants are called '{duplicate.Key}'; names key the table, the CSV and the plot, so they must differ.", nameof(variants));
        foreach (var v in variants)
        {
            try { v.Layer.OutputShape(input); }
            catch (ShapeException e) { throw new ShapeException($"Sweep variant '{v.Name}' on input {input}: {e.Message}", e); }
        }
        Input = input;
        Variants = variants;
        Probes = probes ?? [];
    }

    /// <summary>The per-sample input shape every variant is built for.</summary>
    public Shape Input { get; }

    /// <summary>The variants, in table order.</summary>
    public IReadOnlyList<Variant> Variants { get; }

    /// <summary>The probes, one table column each.</summary>
    public IReadOnlyList<Probe> Probes { get; }

    /// <summary>The same sweep with one more probe.</summary>
    public Sweep With(Probe probe) => new(Input, Variants, [.. Probes, probe]);

    /// <summary>The static figures of <paramref name="variant"/>, from shapes alone (no probe, no training).</summary>
    public VariantResult Figures(Variant variant)
    {
        var summary = ModelSummary.Of(variant.Layer, Input);
        var global = summary.Rows.Count > 0 && summary.Rows[^1].Global;
        // After a dense or global layer the field is the whole input; report the field of the last layer whose
        // output is still an image (C×spatial), which is what a stacking or depth comparison is about.
        var local = summary.Rows.LastOrDefault(r => !r.Global && r.Field.Length > 0 && r.Output.Rank >= 2);
        var field = local is null ? [] : local.Field.Select(f => f.Size).ToArray();
        return new VariantResult(variant.Name, variant.Group, summary.Parameters, summary.MultAdds, field, global,
            summary.ActivationBytes, [], null);
    }

    /// <summary>
    /// Runs the sweep: for each variant in order, its static figures, then (when there are probes or a
    /// <paramref name="train"/> function) a model initialised from <paramref name="seed"/> on
    /// <paramref name="context"/> (the fast Cpu backend when null), its probe values, and its training outcome.
    /// </summary>
    /// <param name="train">Trains an initialised model and reports the outcome (e.g. <c>SweepTraining.Fit</c>);
    /// null for static figures and probes only.</param>
    /// <param name="progress">Told when each variant begins.</param>
    public SweepReport Run(int seed = 0, ExecutionContext? context = null, Func<Variant, Model, TrainingOutcome>? train = null,
        Action<SweepProgress>? progress = null)
    {
        var rows = new List<VariantResult>(Variants.Count);
        for (var i = 0; i < Variants.Count; i++)
        {
            var variant = Variants[i];
            progress?.Invoke(new SweepProgress(i + 1, Variants.Count, variant));
            var row = Figures(variant);
            if (Probes.Count > 0 || train is not null)
            {
                var model = variant.Layer.Init(Input, seed, context);
                row = row with
                {
                    ProbeValues = Probes.Select(p => p.Measure(model)).ToArray(),
                    Training = train?.Invoke(variant, model),
                };
            }
            rows.Add(row);
        }
        return new SweepReport(Input, Probes.Select(p => p.Name).ToArray(), rows);
    }
}
