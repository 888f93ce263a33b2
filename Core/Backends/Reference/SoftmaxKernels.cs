using System.Numerics;

namespace Functional.Backends.Reference;

/// <summary>Softmax and log-softmax along the Axis of an <see cref="AxisGeometry"/>.</summary>
public static class SoftmaxKernels
{
    /// <summary>
    /// softmax(x)ₐ = e^(xₐ−m) / Σ e^(x−m) and log-softmax(x)ₐ = xₐ − m − log Σ e^(x−m), with m = max x, so that no
    /// exponent is positive and nothing overflows.
    /// </summary>
    public static void Forward<T>(in AxisGeometry g, bool log, ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (var o = 0; o < g.Outer; o++)
            for (var i = 0; i < g.Inner; i++)
            {
                var base0 = o * g.Axis * g.Inner + i;
                var max = T.NegativeInfinity;
                for (var a = 0; a < g.Axis; a++) max = T.Max(max, x[base0 + a * g.Inner]);
                var sum = T.Zero;
                for (var a = 0; a < g.Axis; a++) sum += T.Exp(x[base0 + a * g.Inner] - max);
                var logSum = T.Log(sum);
                for (var a = 0; a < g.Axis; a++)
                {
                    var shifted = x[base0 + a * g.Inner] - max;
                    y[base0 + a * g.Inner] = log ? shifted - logSum : T.Exp(shifted) / sum;
                }
            }
    }

    /// <summary>
    /// From the output y: softmax dx = y ⊙ (dy − Σ dy·y); log-softmax dx = dy − softmax ⊙ Σ dy, with
    /// softmax = e^y.
    /// </summary>
    public static void Backward<T>(in AxisGeometry g, bool log, ReadOnlySpan<T> y, ReadOnlySpan<T> dy, Span<T> dx)
        where T : IFloatingPointIeee754<T>
    {
        for (var o = 0; o < g.Outer; o++)
            for (var i = 0; i < g.Inner; i++)
            {
                var base0 = o * g.Axis * g.Inner + i;
                var dot = T.Zero;
                for (var a = 0; a < g.Axis; a++)
                {
                    var k = base0 + a * g.Inner;
                    dot += log ? dy[k] : dy[k] * y[k];
                }
                for (var a = 0; a < g.Axis; a++)
                {
                    var k = base0 + a * g.Inner;
                    dx[k] = log ? dy[k] - T.Exp(y[k]) * dot : y[k] * (dy[k] - dot);
                }
            }
    }
}
