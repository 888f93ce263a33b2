using Functional.Network;
using Functional.Research;

namespace Functional.Dsl.Research;

/// <summary>
/// A named comparison: variants for one per-sample input, and optionally probes that need a batch of real
/// inputs (the skip study's gradient norm at initialisation).
/// </summary>
/// <param name="Name">The command-line name (<c>vgg-stacking</c>).</param>
/// <param name="Description">One line saying what the study compares and why.</param>
/// <param name="Input">The per-sample input shape the variants are built for.</param>
/// <param name="Variants">The architectures, in table order.</param>
/// <param name="Probes">Builds the probes from a fixed batch (images N×C×H×W matching <paramref name="Input"/>,
/// and labels); null when the study has none.</param>
public sealed record Study(string Name, string Description, Shape Input, IReadOnlyList<Variant> Variants,
    Func<Tensor, IReadOnlyList<int>, IReadOnlyList<Probe>>? Probes = null)
{
    /// <summary>Whether the study's probes need a batch (see <see cref="Sweep"/>).</summary>
    public bool NeedsBatch => Probes is not null;

    /// <summary>The study as a sweep; its probes, if any, run on <paramref name="images"/> and <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">The study has probes and no batch was given, or the batch does not match the input.</exception>
    public Sweep Sweep(Tensor? images = null, IReadOnlyList<int>? labels = null)
    {
        if (Probes is null) return new Sweep(Input, Variants);
        if (images is null || labels is null)
            throw new ArgumentException($"Study '{Name}' measures its variants on a batch of inputs; pass images N×{Input} and their labels.");
        if (images.Shape.Rank != Input.Rank + 1 || images.Shape.WithoutBatch() != Input || images.Shape[0] != labels.Count)
            throw new ArgumentException($"Study '{Name}': the batch is {images.Shape} with {labels.Count} labels; it must be N×{Input} with N labels.");
        return new Sweep(Input, Variants, Probes(images, labels));
    }
}
