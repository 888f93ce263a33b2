using Functional.Network;
using Functional.Ops;

namespace Functional.Training;

/// <summary>
/// Where a training step went non-finite. Checks run in the order the values are computed (loss, gradients,
/// updated parameters, state) and each tree in layer order, so the exception names the earliest culprit.
/// </summary>
internal static class NonFiniteChecks
{
    /// <summary>The exception for a loss that came out NaN or infinite, with a hint when the parameters have grown huge.</summary>
    public static NonFiniteTrainingException Loss(long step, int epoch, int batch, Model model, NonFiniteLossException e)
    {
        var largest = model.Parameters.Select(l => (l.Path, Max: MaxAbs(l.Value))).MaxBy(x => x.Max);
        var hint = largest.Path is not null && largest.Max > 1e6
            ? $" The largest parameter is '{largest.Path}' with |x| = {largest.Max:G3}: the learning rate is probably too large."
            : "";
        return new(step, epoch, "loss",
            $"Training stopped at step {step} (epoch {epoch}, batch {batch}): the loss is not finite. {e.Message}{hint}", e);
    }

    /// <summary>
    /// The checks after one step, as one pass on <paramref name="backend"/> over the gradients, the updated parameters
    /// and the state, and one download of a small vector that also carries Σ <paramref name="hits"/>² (the batch's
    /// correct predictions, from <see cref="Metrics.Hits"/>). Only when a flag is set are tensors read on the host, to
    /// name the first culprit exactly as <see cref="Tree"/> does, in the order gradient, parameter, state.
    /// </summary>
    /// <returns>The number of correct predictions.</returns>
    public static int Step(long step, int epoch, int batch, Backends.IBackend backend, TensorTree gradients, TensorTree parameters,
        TensorTree state, Tensor hits, double lr)
    {
        var stats = Updates.SquaresAndFlags(backend, [hits, .. gradients.Select(l => l.Value), .. parameters.Select(l => l.Value),
            .. state.Select(l => l.Value)]).Span;
        for (var i = 3; i < stats.Length; i += 2)
        {
            if (stats[i] == 0f) continue;
            Tree(step, epoch, batch, gradients, "gradient", lr);
            Tree(step, epoch, batch, parameters, "parameter after the update", lr);
            Tree(step, epoch, batch, state, "state", lr);
        }
        return (int)stats[0];
    }

    /// <summary>Throws naming the first leaf of <paramref name="tree"/> (in layer order) holding a NaN or infinity.</summary>
    /// <param name="what">What the tree holds, for the message: "gradient", "parameter after the update", "state".</param>
    public static void Tree(long step, int epoch, int batch, TensorTree tree, string what, double lr)
    {
        foreach (var (path, value) in tree)
        {
            var i = Updates.FirstNonFinite(value);
            if (i < 0) continue;
            var cause = what == "gradient" ? "" : $" (learning rate {lr:G4}; a smaller one, or --clip, may help)";
            throw new NonFiniteTrainingException(step, epoch, path,
                $"Training stopped at step {step} (epoch {epoch}, batch {batch}): the {what} '{path}' {value.Shape} holds " +
                $"{value.Span[i]} at element {i}; it is the first non-finite {what} in layer order{cause}.");
        }
    }

    private static double MaxAbs(Tensor t)
    {
        var m = 0.0;
        foreach (var x in t.Span) m = Math.Max(m, Math.Abs((double)x));
        return m;
    }
}
