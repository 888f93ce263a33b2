using System.Numerics;

namespace Functional.Backends.Reference;

/// <summary>
/// Batch normalisation per channel a of x[o, a, i] (the channel is the Axis of an <see cref="AxisGeometry"/>), as
/// three plain loops: the batch statistics, the normalisation, and the backward. With m = Outer·Inner values per
/// channel, σ⁻¹ = 1/√(var + eps) and x̂ = (x − μ)·σ⁻¹:
/// y = x̂·γ + β; dβ = Σ dy; dγ = Σ dy·x̂; dx = γσ⁻¹·dy, or in training, where μ and var depend on x,
/// dx = γσ⁻¹·(dy − dβ/m − x̂·dγ/m) (PyTorch's form: (dy − (x − μ)·σ⁻²·Σdy(x − μ)/m − Σdy/m)·γσ⁻¹).
/// </summary>
public static class BatchNormKernels
{
    /// <summary>mean[a] = Σ x / m; variance[a] = Σ (x − mean)² / m (biased), in two passes for accuracy.</summary>
    public static void Statistics<T>(in AxisGeometry g, ReadOnlySpan<T> x, Span<T> mean, Span<T> variance)
        where T : IFloatingPointIeee754<T>
    {
        var m = T.CreateChecked((long)g.Outer * g.Inner);
        for (var a = 0; a < g.Axis; a++)
        {
            var sum = T.Zero;
            for (var o = 0; o < g.Outer; o++)
                for (var i = 0; i < g.Inner; i++) sum += x[(o * g.Axis + a) * g.Inner + i];
            var mu = sum / m;
            var squares = T.Zero;
            for (var o = 0; o < g.Outer; o++)
                for (var i = 0; i < g.Inner; i++)
                {
                    var d = x[(o * g.Axis + a) * g.Inner + i] - mu;
                    squares += d * d;
                }
            (mean[a], variance[a]) = (mu, squares / m);
        }
    }

    /// <summary>y = (x − mean)·s + β with s = γ/√(variance + eps), per channel.</summary>
    public static void Forward<T>(in AxisGeometry g, T eps, ReadOnlySpan<T> x, ReadOnlySpan<T> mean, ReadOnlySpan<T> variance,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (var o = 0; o < g.Outer; o++)
            for (var a = 0; a < g.Axis; a++)
            {
                var s = Scale(gamma[a], variance[a], eps);
                for (var i = 0; i < g.Inner; i++)
                {
                    var k = (o * g.Axis + a) * g.Inner + i;
                    y[k] = (x[k] - mean[a]) * s + beta[a];
                }
            }
    }

    /// <summary>dγ, dβ and dx (see the class summary); <paramref name="training"/> says whether mean and variance were the batch's.</summary>
    public static void Backward<T>(in AxisGeometry g, T eps, bool training, ReadOnlySpan<T> x, ReadOnlySpan<T> mean, ReadOnlySpan<T> variance,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> dy, Span<T> dx, Span<T> dgamma, Span<T> dbeta) where T : IFloatingPointIeee754<T>
    {
        var m = T.CreateChecked((long)g.Outer * g.Inner);
        for (var a = 0; a < g.Axis; a++)
        {
            T sum = T.Zero, dot = T.Zero;
            for (var o = 0; o < g.Outer; o++)
                for (var i = 0; i < g.Inner; i++)
                {
                    var k = (o * g.Axis + a) * g.Inner + i;
                    sum += dy[k];
                    dot += dy[k] * (x[k] - mean[a]);
                }
            var invStd = T.One / T.Sqrt(variance[a] + eps);
            (dbeta[a], dgamma[a]) = (sum, dot * invStd);
            var c = Coefficients(training, sum, dot, invStd, gamma[a], m);
            for (var o = 0; o < g.Outer; o++)
                for (var i = 0; i < g.Inner; i++)
                {
                    var k = (o * g.Axis + a) * g.Inner + i;
                    dx[k] = (dy[k] - (x[k] - mean[a]) * c.Projection - c.MeanGradient) * c.Scale;
                }
        }
    }

    /// <summary>γ/√(variance + eps): the per-channel scale of the forward.</summary>
    public static T Scale<T>(T gamma, T variance, T eps) where T : IFloatingPointIeee754<T> => gamma / T.Sqrt(variance + eps);

    /// <summary>
    /// The per-channel constants of dx = (dy − (x − μ)·Projection − MeanGradient)·Scale: in inference mode the
    /// statistics are constants, so Projection and MeanGradient are zero.
    /// </summary>
    public static (T Projection, T MeanGradient, T Scale) Coefficients<T>(bool training, T sum, T dot, T invStd, T gamma, T m)
        where T : IFloatingPointIeee754<T> =>
        training ? (dot * invStd * invStd / m, sum / m, invStd * gamma) : (T.Zero, T.Zero, invStd * gamma);
}
