using Functional.Backends;
using Functional.Backends.Cpu;
using Functional.Backends.Reference;
using System.Runtime.Intrinsics;
using Xunit;
using Xunit.Abstractions;

namespace Functional.Properties;

/// <summary>
/// The Cpu backend's vector exp, log, sigmoid and tanh against the Reference's MathF formulas over a dense sweep of
/// float bit patterns (every 256th float of each range, about 34 million points in all), and exactly at their edges.
/// The bounds are the figures docs/cpu.md states; a kernel that drifts past them fails here.
/// </summary>
public class VectorMathAccuracy(ITestOutputHelper output)
{
    private const int Stride = 256;

    /// <summary>Distance in representable floats (+0 and −0 are the same point).</summary>
    private static long Ulps(float a, float b) => Math.Abs(Ordered(a) - Ordered(b));

    private static long Ordered(float v)
    {
        var bits = BitConverter.SingleToInt32Bits(v);
        return bits < 0 ? int.MinValue - (long)bits : bits;
    }

    private static float FromOrdered(long o) => BitConverter.Int32BitsToSingle((int)(o < 0 ? int.MinValue - o : o));

    private (long Ulps, double Relative) Sweep(string name, Func<Vector256<float>, Vector256<float>> f, UnaryOp op, float lo, float hi)
    {
        var (worstUlps, worstRel, worstAt) = (0L, 0.0, 0f);
        var lanes = new float[8];
        for (var o = Ordered(lo); o <= Ordered(hi); o += 8 * Stride)
        {
            for (var j = 0; j < 8; j++) lanes[j] = FromOrdered(Math.Min(o + j * Stride, Ordered(hi)));
            var got = f(Vector256.Create(lanes));
            for (var j = 0; j < 8; j++)
            {
                var want = ElementwiseKernels.Apply(op, 0f, lanes[j]);
                var ulps = Ulps(want, got[j]);
                if (float.IsNaN(want) != float.IsNaN(got[j])) ulps = long.MaxValue;
                if (ulps > worstUlps) (worstUlps, worstAt) = (ulps, lanes[j]);
                // Relative error over normal results only: a subnormal has fewer significant bits by design.
                if (Math.Abs(want) >= 1.17549435e-38f && float.IsFinite(want))
                    worstRel = Math.Max(worstRel, Math.Abs((double)got[j] - want) / Math.Abs(want));
            }
        }
        output.WriteLine($"{name} on [{lo}, {hi}]: max {worstUlps} ulp (at {worstAt:R}), max relative error {worstRel:E2}");
        return (worstUlps, worstRel);
    }

    private static Func<Vector256<float>, Vector256<float>> Function(UnaryOp op) => op switch
    {
        UnaryOp.Exp => VectorMath.Exp,
        UnaryOp.Log => VectorMath.Log,
        UnaryOp.Sigmoid => VectorMath.Sigmoid,
        _ => VectorMath.Tanh,
    };

    [Theory]
    [InlineData(UnaryOp.Exp, -104f, 89f, 1, 1.2e-7)]
    [InlineData(UnaryOp.Log, 0f, float.MaxValue, 1, 1.2e-7)]
    [InlineData(UnaryOp.Sigmoid, -104f, 20f, 2, 1.8e-7)]
    [InlineData(UnaryOp.Tanh, -10f, 10f, 2, 2.2e-7)]
    public void Vector_functions_stay_within_their_stated_error_of_MathF(UnaryOp op, float lo, float hi, long maxUlps, double maxRelative)
    {
        var (ulps, relative) = Sweep(op.ToString(), Function(op), op, lo, hi);
        Assert.True(ulps <= maxUlps, $"{op}: {ulps} ulp from MathF, the stated bound is {maxUlps}");
        Assert.True(relative <= maxRelative, $"{op}: relative error {relative:E2}, the stated bound is {maxRelative:E2}");
    }

    public static TheoryData<UnaryOp, float> Edges => new()
    {
        { UnaryOp.Exp, float.PositiveInfinity }, { UnaryOp.Exp, float.NegativeInfinity }, { UnaryOp.Exp, float.NaN },
        { UnaryOp.Exp, 88.8f }, { UnaryOp.Exp, 1000f }, { UnaryOp.Exp, -104.5f }, { UnaryOp.Exp, -1000f }, { UnaryOp.Exp, 0f },
        { UnaryOp.Exp, -0f }, { UnaryOp.Exp, -103.9f }, { UnaryOp.Exp, -90f }, { UnaryOp.Exp, 88.72f },
        { UnaryOp.Log, 0f }, { UnaryOp.Log, -0f }, { UnaryOp.Log, -1f }, { UnaryOp.Log, float.NegativeInfinity },
        { UnaryOp.Log, float.PositiveInfinity }, { UnaryOp.Log, float.NaN }, { UnaryOp.Log, float.Epsilon }, { UnaryOp.Log, 1f },
        { UnaryOp.Log, float.MaxValue }, { UnaryOp.Log, 1e-40f },
        { UnaryOp.Sigmoid, float.PositiveInfinity }, { UnaryOp.Sigmoid, float.NegativeInfinity }, { UnaryOp.Sigmoid, float.NaN },
        { UnaryOp.Sigmoid, 1000f }, { UnaryOp.Sigmoid, -1000f }, { UnaryOp.Sigmoid, 0f }, { UnaryOp.Sigmoid, -0f }, { UnaryOp.Sigmoid, 20f },
        { UnaryOp.Tanh, float.PositiveInfinity }, { UnaryOp.Tanh, float.NegativeInfinity }, { UnaryOp.Tanh, float.NaN },
        { UnaryOp.Tanh, 0f }, { UnaryOp.Tanh, -0f }, { UnaryOp.Tanh, 50f }, { UnaryOp.Tanh, -50f }, { UnaryOp.Tanh, 1e-30f },
        { UnaryOp.Tanh, -1e-30f },
    };

    [Theory]
    [MemberData(nameof(Edges))]
    public void Edges_give_MathF_exact_special_values(UnaryOp op, float x)
    {
        var want = ElementwiseKernels.Apply(op, 0f, x);
        var y = Function(op)(Vector256.Create(x));
        if (float.IsNaN(want) || float.IsInfinity(want) || want == 0f || Math.Abs(want) == 1f)
            Assert.True(float.IsNaN(want) ? float.IsNaN(y[0]) : BitConverter.SingleToInt32Bits(want) == BitConverter.SingleToInt32Bits(y[0]),
                $"{op}({x:R}) = {y[0]:R}, MathF gives {want:R}");
        else
            Assert.True(Ulps(want, y[0]) <= 3, $"{op}({x:R}) = {y[0]:R}, MathF gives {want:R}");
    }
}
