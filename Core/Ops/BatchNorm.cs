using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>
/// Batch normalisation per channel over N×C (1-d), N×C×L (1-d), N×C×H×W (2-d) or N×C×D×H×W (3-d):
/// y = γ·(x − μ)/√(σ² + eps) + β. Training mode uses the batch mean and biased variance over the m = N·L (or
/// N·H·W) values of a channel and returns running statistics updated with momentum, the variance term being the
/// unbiased one (·m/(m−1)), as PyTorch. Inference mode uses the running statistics. The statistics, the
/// normalisation and the backward are one seam entry each, so a layer reads and writes its activations few times
/// and keeps only its input for the backward.
/// </summary>
public static class BatchNorm
{
    /// <summary>PyTorch's default momentum.</summary>
    public const float DefaultMomentum = 0.1f;

    /// <summary>PyTorch's default eps.</summary>
    public const float DefaultEps = 1e-5f;

    /// <summary>Normalises x; in training mode also returns the updated running statistics.</summary>
    /// <exception cref="ShapeException">x is not N×C…, or γ, β or the state do not hold C values, or a training batch has one value per channel.</exception>
    public static BatchNormResult Forward(ExecutionContext ctx, Tensor x, Tensor gamma, Tensor beta, BatchNormState state, bool training,
        float momentum = DefaultMomentum, float eps = DefaultEps, string? layer = null) =>
        Run(ctx, x, gamma, beta, state, training, momentum, eps, layer, relu: false);

    /// <summary>
    /// max(0, batch norm of x): <see cref="Forward"/> and a ReLU in one seam call, with no tensor between them (the
    /// same bits as the two ops). Its backward is <see cref="BackwardReLU"/>, from the saved input and this output.
    /// </summary>
    /// <exception cref="ShapeException">As <see cref="Forward"/>.</exception>
    public static BatchNormResult ForwardReLU(ExecutionContext ctx, Tensor x, Tensor gamma, Tensor beta, BatchNormState state, bool training,
        float momentum = DefaultMomentum, float eps = DefaultEps, string? layer = null) =>
        Run(ctx, x, gamma, beta, state, training, momentum, eps, layer, relu: true);

    private static BatchNormResult Run(ExecutionContext ctx, Tensor x, Tensor gamma, Tensor beta, BatchNormState state, bool training,
        float momentum, float eps, string? layer, bool relu)
    {
        var g = Geometry(x.Shape, gamma, beta, state, training, layer);
        Tensor mean, variance;
        var next = state;
        if (training)
        {
            var m = g.Outer * g.Inner;
            (mean, variance) = (SeamCalls.Output(ctx, gamma.Shape), SeamCalls.Output(ctx, gamma.Shape));
            ctx.Backend.BatchNormStatistics(g, x.Storage, mean.Storage, variance.Storage);
            var unbiased = SeamCalls.Unary(ctx, UnaryOp.Scale, variance, (float)m / (m - 1));
            next = new BatchNormState(Blend(ctx, state.RunningMean, mean, momentum), Blend(ctx, state.RunningVar, unbiased, momentum));
        }
        else
        {
            mean = state.RunningMean;
            variance = state.RunningVar;
        }
        var y = SeamCalls.Output(ctx, x.Shape);
        if (relu) ctx.Backend.BatchNormReLUForward(g, eps, x.Storage, mean.Storage, variance.Storage, gamma.Storage, beta.Storage, y.Storage);
        else ctx.Backend.BatchNormForward(g, eps, x.Storage, mean.Storage, variance.Storage, gamma.Storage, beta.Storage, y.Storage);
        return new BatchNormResult(y, next, new BatchNormSaved(x, mean, variance, eps, training));
    }

    /// <summary>
    /// dβ = Σ dy, dγ = Σ dy·x̂ (sums over all but the channel). Inference: dx = γ/σ · dy. Training, where μ and σ
    /// depend on x: dx = γ/σ · (dy − dβ/m − x̂·dγ/m). One seam call recomputes x̂ from the forward's input.
    /// </summary>
    public static BatchNormGradients Backward(ExecutionContext ctx, BatchNormResult forward, Tensor gamma, Tensor dy, string? layer = null) =>
        Backward(ctx, forward.Saved, gamma, dy, layer);

    /// <summary>The backward from what the forward saved (see the other overload), for a pullback that keeps only that.</summary>
    public static BatchNormGradients Backward(ExecutionContext ctx, BatchNormSaved saved, Tensor gamma, Tensor dy, string? layer = null) =>
        Backward(ctx, saved, null, gamma, dy, layer);

    /// <summary>
    /// The backward of <see cref="ForwardReLU"/> from what it saved and its <paramref name="output"/>: dy passes where
    /// the output is positive, then flows as in <see cref="Backward(ExecutionContext, BatchNormSaved, Tensor, Tensor, string?)"/>.
    /// </summary>
    public static BatchNormGradients BackwardReLU(ExecutionContext ctx, BatchNormSaved saved, Tensor output, Tensor gamma, Tensor dy, string? layer = null)
    {
        if (output.Shape != saved.Input.Shape)
            throw new ShapeException($"{LayerName.Of("BatchNorm", layer)}: the ReLU output has shape {output.Shape} but the forward's input was {saved.Input.Shape}.");
        return Backward(ctx, saved, output, gamma, dy, layer);
    }

    private static BatchNormGradients Backward(ExecutionContext ctx, BatchNormSaved saved, Tensor? reluOutput, Tensor gamma, Tensor dy, string? layer)
    {
        var where = LayerName.Of("BatchNorm", layer);
        SeamCalls.CheckGradient(where, dy, saved.Input.Shape);
        if (gamma.Shape != saved.Mean.Shape)
            throw new ShapeException($"{where}: gamma has shape {gamma.Shape} but the forward normalised {saved.Mean.Count} channels.");
        var g = AxisGeometry.Around(dy.Shape, 1);
        var (dx, dgamma, dbeta) = (SeamCalls.Output(ctx, dy.Shape), SeamCalls.Output(ctx, gamma.Shape), SeamCalls.Output(ctx, gamma.Shape));
        if (reluOutput is null)
            ctx.Backend.BatchNormBackward(g, saved.Eps, saved.Training, saved.Input.Storage, saved.Mean.Storage, saved.Variance.Storage,
                gamma.Storage, dy.Storage, dx.Storage, dgamma.Storage, dbeta.Storage);
        else
            ctx.Backend.BatchNormReLUBackward(g, saved.Eps, saved.Training, saved.Input.Storage, saved.Mean.Storage, saved.Variance.Storage,
                gamma.Storage, reluOutput.Storage, dy.Storage, dx.Storage, dgamma.Storage, dbeta.Storage);
        return new BatchNormGradients(dx, dgamma, dbeta);
    }

    // running ← (1 − momentum)·running + momentum·batch
    private static Tensor Blend(ExecutionContext ctx, Tensor running, Tensor batch, float momentum) =>
        SeamCalls.Binary(ctx, BinaryOp.Add,
            SeamCalls.Unary(ctx, UnaryOp.Scale, running, 1f - momentum),
            SeamCalls.Unary(ctx, UnaryOp.Scale, batch, momentum));

    private static AxisGeometry Geometry(Shape x, Tensor gamma, Tensor beta, BatchNormState state, bool training, string? layer)
    {
        var where = LayerName.Of(x.Rank switch { 2 or 3 => "BatchNorm1d", 4 => "BatchNorm2d", _ => "BatchNorm3d" }, layer);
        if (x.Rank is < 2 or > 5)
            throw new ShapeException($"{where}: input {x} must be N×C, N×C×L, N×C×H×W or N×C×D×H×W.");
        var c = x[1];
        foreach (var (name, t) in new[] { ("gamma", gamma), ("beta", beta), ("running mean", state.RunningMean), ("running variance", state.RunningVar) })
            if (t.Shape != Shape.Of(c))
                throw new ShapeException($"{where}: {name} has shape {t.Shape} but the input {x} has {c} channels.");
        var g = AxisGeometry.Around(x, 1);
        if (training && g.Outer * g.Inner < 2)
            throw new ShapeException($"{where}: input {x} has 1 value per channel; training needs more than one to estimate a variance.");
        return g;
    }
}
