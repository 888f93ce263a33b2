using Functional.Network;

namespace Functional.Research;

/// <summary>One architecture of a study: a name for tables and plots, the network, and an optional group that
/// colours its point in the scatter plot (e.g. "plain" and "residual").</summary>
/// <param name="Name">Short unique name, used as the table row, the CSV key and the plot label.</param>
/// <param name="Layer">The network; it is initialised once per variant with the sweep's seed.</param>
/// <param name="Group">Points of the same group share a colour and a legend entry (empty: no legend).</param>
public sealed record Variant(string Name, Layer Layer, string Group = "");

/// <summary>
/// A figure measured on a freshly initialised model (no training), becoming one more column of the table and the
/// CSV: e.g. the gradient norm at the first layer, which shows whether a deep net's signal reaches its start.
/// </summary>
/// <param name="Name">Column heading.</param>
/// <param name="Measure">Computes the figure from the initialised model.</param>
public sealed record Probe(string Name, Func<Model, double> Measure)
{
    /// <summary>
    /// The L2 norm of the loss gradient with respect to the first parameter tensor in layer order (the first
    /// layer's weight), by <see cref="Model.LossAndGradients(Loss, Tensor, IReadOnlyList{int}, Random.Key)"/> with
    /// cross-entropy on a fixed batch. Vanishing gradients show as a norm orders of magnitude below a
    /// shallower or residual net's.
    /// </summary>
    /// <param name="images">The batch, N×C×H×W, as the model will see it in training (normalised).</param>
    /// <param name="labels">One class per image.</param>
    public static Probe FirstLayerGradientNorm(Tensor images, IReadOnlyList<int> labels) => new("grad norm @ layer 1", model =>
    {
        var step = model.LossAndGradients(Loss.CrossEntropy, images, labels, Random.Key.FromSeed(0));
        if (step.Gradients.Count == 0)
            throw new ArgumentException($"FirstLayerGradientNorm: {model} has no parameters, so there is no first-layer gradient.");
        double sum = 0;
        foreach (var g in step.Gradients[0].Value.Span) sum += (double)g * g;
        return Math.Sqrt(sum);
    });
}
