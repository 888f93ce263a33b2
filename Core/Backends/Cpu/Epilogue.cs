using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// What a GEMM does when it stores a tile of C, so a conv's bias and the ReLU after it cost no passes of their own
/// over C: <see cref="Start"/> (first K block) adds the sums to each row's start value (its bias, or zero) instead
/// of to C's old contents, and <see cref="ReLU"/> (last K block) clamps the stored value as the ReLU entry does.
/// Each element gets the same additions in the same order as a fill, the GEMM and a separate ReLU, so the same bits.
/// </summary>
[Flags]
internal enum Epilogue
{
    /// <summary>C += the tile's sums.</summary>
    None = 0,

    /// <summary>C = the row's start value + the tile's sums (C's old contents are not read).</summary>
    Start = 1,

    /// <summary>Then v &lt; 0 ? 0 : v, keeping NaN and −0 (the ReLU entry's kernel).</summary>
    ReLU = 2,
}

/// <summary>The stores of <see cref="Epilogue"/>.</summary>
internal static unsafe class EpilogueStore
{
    /// <summary>Sixteen floats of one tile row: <paramref name="lo"/>, <paramref name="hi"/> onto C or the start value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Row(float* row, Vector256<float> lo, Vector256<float> hi, float* start, Epilogue e)
    {
        Vector256<float> s0, s1;
        if ((e & Epilogue.Start) != 0) s0 = s1 = start == null ? Vector256<float>.Zero : Vector256.Create(*start);
        else (s0, s1) = (Vector256.Load(row), Vector256.Load(row + 8));
        var (v0, v1) = (s0 + lo, s1 + hi);
        if ((e & Epilogue.ReLU) != 0) (v0, v1) = (ReLU(v0), ReLU(v1));
        v0.Store(row);
        v1.Store(row + 8);
    }

    /// <summary>One element: the scalar form of <see cref="Row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Element(float* c, float sum, float* start, Epilogue e)
    {
        var v = ((e & Epilogue.Start) != 0 ? (start == null ? 0f : *start) : *c) + sum;
        *c = (e & Epilogue.ReLU) != 0 && v < 0f ? 0f : v;
    }

    /// <summary>The start value of row <paramref name="i"/> (null for zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float* At(float* start, int i) => start == null ? null : start + i;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ReLU(Vector256<float> v) =>
        Vector256.ConditionalSelect(Vector256.LessThan(v, Vector256<float>.Zero), Vector256<float>.Zero, v);
}
