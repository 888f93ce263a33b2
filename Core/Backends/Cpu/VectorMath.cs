using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// exp, log, sigmoid and tanh on eight floats at once (Cephes' single-precision range reductions and minimax
/// polynomials, evaluated with FMA). They are not correctly rounded: the largest errors against MathF measured over
/// a dense sweep are stated in docs/cpu.md and bounded by <c>VectorMathAccuracyTests</c>. The edges are exact and
/// match MathF: NaN in gives NaN out, exp overflows to +∞ and underflows through the subnormals to 0, log(±0) = −∞,
/// log(x &lt; 0) = NaN, log(+∞) = +∞, and sigmoid and tanh saturate to their limits.
/// </summary>
internal static class VectorMath
{
    // Cody–Waite split of ln 2: the high part has 9 significant bits, so n·Hi is exact for the |n| ≤ 150 used here.
    private const float Ln2Hi = 0.693359375f, Ln2Lo = -2.12194440e-4f, Log2E = 1.44269504088896341f;

    /// <summary>eˣ per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        // Past the clamp the result is 0 or +∞ anyway; clamping keeps n in [−150, 128], where the two-step scaling
        // below reaches both ends (and the subnormals between) without a test.
        // The native min/max (one instruction each) may drop a NaN here; the last line restores it.
        var c = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(-104f)), Vector256.Create(89f));
        var n = Vector256.Floor(Vector256.FusedMultiplyAdd(c, Vector256.Create(Log2E), Vector256.Create(0.5f)));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), c);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        // e^r = 1 + r + r²·P(r) on |r| ≤ ln2/2.
        var p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        p = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256.Create(1f);
        // 2ⁿ as two normal powers 2^⌊n/2⌋·2^(n−⌊n/2⌋): the first product is exact, the second rounds once, also
        // into the subnormal range or to +∞.
        var k = Vector256.ConvertToInt32Native(n);
        var half = Vector256.ShiftRightArithmetic(k, 1);
        var bias = Vector256.Create(127);
        var s1 = Vector256.ShiftLeft(half + bias, 23).AsSingle();
        var s2 = Vector256.ShiftLeft(k - half + bias, 23).AsSingle();
        var y = p * s1 * s2;
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
    }

    /// <summary>ln x per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        // Subnormals are scaled into the normal range first, so the exponent field holds the whole exponent.
        var subnormal = Vector256.LessThan(x, Vector256.Create(1.17549435e-38f));
        var xs = Vector256.ConditionalSelect(subnormal, x * Vector256.Create(8388608f), x);
        var bits = xs.AsInt32();
        var e = Vector256.ShiftRightLogical(bits, 23) - Vector256.Create(126)
                - (subnormal.AsInt32() & Vector256.Create(23));
        // x = m·2^e with m in [½, 1); below √½ take 2m and e − 1, so the argument t = m − 1 stays in [√½ − 1, √2 − 1].
        var m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F000000)).AsSingle();
        var small = Vector256.LessThan(m, Vector256.Create(0.707106781186547524f));
        e += small.AsInt32();
        var t = Vector256.ConditionalSelect(small, m + m, m) - Vector256.Create(1f);
        var fe = Vector256.ConvertToSingle(e);
        var p = Vector256.Create(7.0376836292e-2f);
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.1514610310e-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.1676998740e-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.2420140846e-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(1.4249322787e-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-1.6668057665e-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(2.0000714765e-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(-2.4999993993e-1f));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(3.3333331174e-1f));
        var z = t * t;
        // ln x = t − t²/2 + t³·P(t) + e·ln 2, the small terms first and e·ln 2 split like exp's.
        var y = p * t * z;
        y = Vector256.FusedMultiplyAdd(fe, Vector256.Create(Ln2Lo), y);
        y = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), y);
        y = Vector256.FusedMultiplyAdd(fe, Vector256.Create(Ln2Hi), t + y);
        y = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256<float>.Zero), Vector256.Create(float.NegativeInfinity), y);
        y = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<float>.Zero), Vector256.Create(float.NaN), y);
        y = Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), x, y);
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), y, x);
    }

    /// <summary>1 / (1 + e⁻ˣ) per lane, in the Reference's two stable forms: e^(−|x|) never overflows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        var e = Exp(-Vector256.Abs(x));
        // One division for both forms: 1/(1 + e^−x) for x ≥ 0, e^x/(1 + e^x) below.
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), Vector256.Create(1f), e)
               / (Vector256.Create(1f) + e);
    }

    /// <summary>tanh x per lane: an odd polynomial below 0.625, where 1 − 2/(e^{2|x|} + 1) would cancel, that form above.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        var a = Vector256.Abs(x);
        var z = a * a;
        var p = Vector256.Create(-5.70498872745e-3f);
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(2.06390887954e-2f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(-5.37397155531e-2f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(1.33314422036e-1f));
        p = Vector256.FusedMultiplyAdd(p, z, Vector256.Create(-3.33332819422e-1f));
        var near = Vector256.FusedMultiplyAdd(p * z, a, a);
        // e^{2|x|} overflows to +∞ for large |x|, and 2/∞ = 0 saturates the result to exactly 1.
        var far = Vector256.Create(1f) - Vector256.Create(2f) / (Exp(a + a) + Vector256.Create(1f));
        var t = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(0.625f)), near, far);
        // tanh is odd: the sign of x, −0 included, goes back on.
        return t | (x & Vector256.Create(-0f));
    }
}
