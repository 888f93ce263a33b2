using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>A function of eight lanes, as a type so that <see cref="VectorMaps.Map{F}"/> is compiled once per function.</summary>
internal interface IVectorFunction
{
    static abstract Vector256<float> Apply(Vector256<float> x);
}

internal readonly struct ExpFunction : IVectorFunction
{
    public static Vector256<float> Apply(Vector256<float> x) => VectorMath.Exp(x);
}

internal readonly struct LogFunction : IVectorFunction
{
    public static Vector256<float> Apply(Vector256<float> x) => VectorMath.Log(x);
}

internal readonly struct SigmoidFunction : IVectorFunction
{
    public static Vector256<float> Apply(Vector256<float> x) => VectorMath.Sigmoid(x);
}

internal readonly struct TanhFunction : IVectorFunction
{
    public static Vector256<float> Apply(Vector256<float> x) => VectorMath.Tanh(x);
}

/// <summary>
/// Strip loops for the <see cref="VectorMath"/> functions. A tail shorter than a vector goes through an
/// eight-lane buffer, so an element gets the same bits wherever it lies in the strip.
/// </summary>
internal static unsafe class VectorMaps
{
    /// <summary>y = f(x) for Sigmoid, Tanh, Exp and Log; false for other ops or without 256-bit vectors.</summary>
    public static bool Unary(UnaryOp op, float* x, float* y, int n)
    {
        if (!Vector256.IsHardwareAccelerated) return false;
        switch (op)
        {
            case UnaryOp.Exp: Map<ExpFunction>(x, y, n); return true;
            case UnaryOp.Log: Map<LogFunction>(x, y, n); return true;
            case UnaryOp.Sigmoid: Map<SigmoidFunction>(x, y, n); return true;
            case UnaryOp.Tanh: Map<TanhFunction>(x, y, n); return true;
            default: return false;
        }
    }

    /// <summary>y[i] = F(x[i]) for i &lt; n (x and y may be the same buffer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<F>(float* x, float* y, int n) where F : IVectorFunction
    {
        var i = 0;
        for (; i <= n - 8; i += 8) F.Apply(Vector256.Load(x + i)).Store(y + i);
        if (i < n) Tail<F>(x + i, y + i, n - i);
    }

    /// <summary>The first <paramref name="count"/> (&lt; 8) lanes of F over a zero-padded copy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tail<F>(float* x, float* y, int count) where F : IVectorFunction
    {
        var buffer = stackalloc float[8];
        for (var j = 0; j < 8; j++) buffer[j] = j < count ? x[j] : 0f;
        F.Apply(Vector256.Load(buffer)).Store(buffer);
        for (var j = 0; j < count; j++) y[j] = buffer[j];
    }

    /// <summary>F at one point, the same bits as in a lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float One<F>(float x) where F : IVectorFunction => F.Apply(Vector256.Create(x)).ToScalar();
}
