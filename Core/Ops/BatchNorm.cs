using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Backends;

namespace Functional.Ops;

/// <summary>
/// Batch normalisation per channel over N×C (1-d), N×C×L (1-d), N×C×H×W (2-d) or N×C×D×H×W (3-d):
/// y = γ·(x − μ)/√(σ² + eps) + β. Training mode uses the batch mean and biased variance over the m = N·L (or
/// N·H·W) values of a channel and returns running statistics updated with momentum, the variance term being the
/// unbiased one (·m/(m−1)), as PyTorch. Inference mode uses the running statistics. Everything is composed of
/// seam reductions and per-channel broadcasts.
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
        float momentum = DefaultMomentum, float eps = DefaultEps, string? layer = null)
    {
        var g = Geometry(x.Shape, gamma, beta, state, training, layer);
        Tensor mean, variance;
        var next = state;
        if (training)
        {
            var m = g.Outer * g.Inner;
            mean = SeamCalls.ReducePerAxis(ctx, ReduceOp.Mean, g, x);
            var centred = SeamCalls.PerAxis(ctx, BinaryOp.Subtract, g, x, mean);
            variance = SeamCalls.Unary(ctx, UnaryOp.Scale, SeamCalls.ReducePerAxis(ctx, ReduceOp.SumOfSquares, g, centred), 1f / m);
            var unbiased = SeamCalls.Unary(ctx, UnaryOp.Scale, variance, (float)m / (m - 1));
            next = new BatchNormState(Blend(ctx, state.RunningMean, mean, momentum), Blend(ctx, state.RunningVar, unbiased, momentum));
        }
        else
        {
            mean = state.RunningMean;
            variance = state.RunningVar;
        }
        var std = SeamCalls.Unary(ctx, UnaryOp.Sqrt, SeamCalls.Unary(ctx, UnaryOp.AddScalar, variance, eps));
        var xhat = SeamCalls.PerAxis(ctx, BinaryOp.Divide, g, SeamCalls.PerAxis(ctx, BinaryOp.Subtract, g, x, mean), std);
        var y = SeamCalls.PerAxis(ctx, BinaryOp.Add, g, SeamCalls.PerAxis(ctx, BinaryOp.Multiply, g, xhat, gamma), beta);
        return new BatchNormResult(y, next, xhat, std, training);
    }

    /// <summary>
    /// dβ = Σ dy, dγ = Σ dy·x̂ (sums over all but the channel). Inference: dx = γ/σ · dy. Training, where μ and σ
    /// depend on x: dx = γ/σ · (dy − dβ/m − x̂·dγ/m).
    /// </summary>
    public static BatchNormGradients Backward(ExecutionContext ctx, BatchNormResult forward, Tensor gamma, Tensor dy, string? layer = null)
    {
        var where = LayerName.Of("BatchNorm", layer);
        SeamCalls.CheckGradient(where, dy, forward.Output.Shape);
        var g = AxisGeometry.Around(dy.Shape, 1);
        var perChannel = new AxisGeometry(1, g.Axis, 1);
        var dbeta = SeamCalls.ReducePerAxis(ctx, ReduceOp.Sum, g, dy);
        var dgamma = SeamCalls.ReducePerAxis(ctx, ReduceOp.Sum, g, SeamCalls.Binary(ctx, BinaryOp.Multiply, dy, forward.Normalized));
        var scale = SeamCalls.PerAxis(ctx, BinaryOp.Divide, perChannel, gamma, forward.Std);
        var inner = dy;
        if (forward.Training)
        {
            var m = (float)(g.Outer * g.Inner);
            var shift = SeamCalls.Unary(ctx, UnaryOp.Scale, dbeta, 1f / m);
            var slope = SeamCalls.Unary(ctx, UnaryOp.Scale, dgamma, 1f / m);
            inner = SeamCalls.Binary(ctx, BinaryOp.Subtract,
                SeamCalls.PerAxis(ctx, BinaryOp.Subtract, g, dy, shift),
                SeamCalls.PerAxis(ctx, BinaryOp.Multiply, g, forward.Normalized, slope));
        }
        return new BatchNormGradients(SeamCalls.PerAxis(ctx, BinaryOp.Multiply, g, inner, scale), dgamma, dbeta);
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
