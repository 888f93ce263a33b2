using System.Numerics;

namespace Functional.Backends.Reference;

/// <summary>Sums, means, maxima and sums of squares over an <see cref="AxisGeometry"/>.</summary>
public static class ReduceKernels
{
    /// <summary>
    /// With <paramref name="keepAxis"/>: y[a] reduces x[o, a, i] over o and i (per-channel statistics, Axis
    /// outputs). Otherwise y[o, i] reduces x[o, a, i] over a (Outer·Inner outputs).
    /// </summary>
    public static void Reduce<T>(ReduceOp op, in AxisGeometry g, ReadOnlySpan<T> x, bool keepAxis, Span<T> y)
        where T : IFloatingPointIeee754<T>
    {
        if (keepAxis)
        {
            for (var a = 0; a < g.Axis; a++)
            {
                var acc = Start<T>(op);
                for (var o = 0; o < g.Outer; o++)
                    for (var i = 0; i < g.Inner; i++)
                        acc = Step(op, acc, x[(o * g.Axis + a) * g.Inner + i]);
                y[a] = Finish(op, acc, g.Outer * g.Inner);
            }
            return;
        }
        for (var o = 0; o < g.Outer; o++)
            for (var i = 0; i < g.Inner; i++)
            {
                var acc = Start<T>(op);
                for (var a = 0; a < g.Axis; a++)
                    acc = Step(op, acc, x[(o * g.Axis + a) * g.Inner + i]);
                y[o * g.Inner + i] = Finish(op, acc, g.Axis);
            }
    }

    private static T Start<T>(ReduceOp op) where T : IFloatingPointIeee754<T> =>
        op == ReduceOp.Max ? T.NegativeInfinity : T.Zero;

    private static T Step<T>(ReduceOp op, T acc, T v) where T : IFloatingPointIeee754<T> => op switch
    {
        ReduceOp.Sum or ReduceOp.Mean => acc + v,
        ReduceOp.SumOfSquares => acc + v * v,
        // A NaN must win, as in PyTorch, or a diverged run would report a finite maximum.
        ReduceOp.Max => v > acc || T.IsNaN(v) ? v : acc,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown reduction."),
    };

    private static T Finish<T>(ReduceOp op, T acc, int count) where T : IFloatingPointIeee754<T> =>
        op == ReduceOp.Mean ? acc / T.CreateChecked(count) : acc;
}
