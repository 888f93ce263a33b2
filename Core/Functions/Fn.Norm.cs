namespace Functional.Functions;

public static partial class Fn
{
    /// <summary>
    /// PyTorch's layer_norm: x normalised over its last <paramref name="dims"/> dims by their mean and biased
    /// variance, y = (x − μ)/√(σ² + ε)·γ + β, with γ and β shaped like those dims.
    /// </summary>
    /// <exception cref="ShapeException">x has no more than <paramref name="dims"/> dims, or γ/β do not have the normalised shape.</exception>
    public static Var LayerNorm(Var x, Var gamma, Var beta, int dims, float eps = 1e-5f)
    {
        if (dims < 1 || dims > x.Shape.Rank)
            throw new ShapeException($"layer_norm: cannot normalise the last {dims} dims of {x.Shape}.");
        var normalized = Shape.Of(x.Shape.Dims.Skip(x.Shape.Rank - dims));
        if (gamma.Shape != normalized || beta.Shape != normalized)
            throw new ShapeException($"layer_norm: gamma {gamma.Shape} and beta {beta.Shape} must have the normalised shape {normalized} (the last {dims} dims of {x.Shape}).");
        var axes = Enumerable.Range(x.Shape.Rank - dims, dims).ToArray();
        return Standardize(x, axes, eps) * gamma + beta;
    }

    /// <summary>
    /// PyTorch's group_norm: the C channels of an N×C×… input split into <paramref name="groups"/> groups, each
    /// sample's group normalised by its own mean and biased variance, then scaled and shifted per channel by γ and β
    /// (C values each). groups = C is instance norm; groups = 1 normalises each sample as a whole.
    /// </summary>
    /// <exception cref="ShapeException">x has fewer than two dims, groups does not divide C, or γ/β do not hold C values.</exception>
    public static Var GroupNorm(Var x, int groups, Var gamma, Var beta, float eps = 1e-5f)
    {
        var s = x.Shape;
        if (s.Rank < 2) throw new ShapeException($"group_norm: input {s} needs a batch and a channel dim (N×C×…).");
        int n = s[0], c = s[1];
        if (groups < 1 || c % groups != 0)
            throw new ShapeException($"group_norm: {groups} groups do not divide the {c} channels of {s}.");
        if (gamma.Shape != Shape.Of(c) || beta.Shape != Shape.Of(c))
            throw new ShapeException($"group_norm: gamma {gamma.Shape} and beta {beta.Shape} must hold one value per channel ({c}).");
        var grouped = Reshape(x, n, groups, -1);
        var normalized = Reshape(Standardize(grouped, [2], eps), [.. s.Dims]);
        var perChannel = Enumerable.Repeat(1, s.Rank).ToArray();
        perChannel[1] = c;
        return normalized * Reshape(gamma, perChannel) + Reshape(beta, perChannel);
    }

    // (x − mean)/√(var + ε) over the given axes, with the biased variance computed from the deviations.
    private static Var Standardize(Var x, int[] axes, float eps)
    {
        var deviation = x - Mean(x, axes, keepDim: true);
        var variance = Mean(Square(deviation), axes, keepDim: true);
        return deviation / Sqrt(Add(variance, eps));
    }
}
