using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Functional.Backends.Cpu;

/// <summary>
/// Strip loops over contiguous floats with 256-bit vectors and a scalar tail. Tails use the same fused
/// multiply-add as the vector body, so an element's value does not depend on whether it fell in the tail.
/// </summary>
internal static unsafe class Simd
{
    /// <summary>dst[i] += a · src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float* dst, float* src, float a, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var va = Vector256.Create(a);
            for (; i <= n - 8; i += 8)
                Vector256.FusedMultiplyAdd(va, Vector256.Load(src + i), Vector256.Load(dst + i)).Store(dst + i);
        }
        for (; i < n; i++) dst[i] = MathF.FusedMultiplyAdd(a, src[i], dst[i]);
    }

    /// <summary>dst[i] += src[i]².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddSquares(float* dst, float* src, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
            {
                var v = Vector256.Load(src + i);
                Vector256.FusedMultiplyAdd(v, v, Vector256.Load(dst + i)).Store(dst + i);
            }
        for (; i < n; i++) dst[i] = MathF.FusedMultiplyAdd(src[i], src[i], dst[i]);
    }

    /// <summary>dst[i] += src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* dst, float* src, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
        for (; i < n; i++) dst[i] += src[i];
    }

    /// <summary>Σ a[i]·b[i], eight running sums in lanes, folded in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int n)
    {
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), acc);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum = MathF.FusedMultiplyAdd(a[i], b[i], sum);
        return sum;
    }

    /// <summary>Σ a[i], eight running sums in lanes, folded in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float* a, int n)
    {
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8) acc += Vector256.Load(a + i);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum += a[i];
        return sum;
    }

    /// <summary>dst[i] = v.</summary>
    public static void Fill(float* dst, float v, int n) => new Span<float>(dst, n).Fill(v);
}
