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

    /// <summary>Σ (x[i] − mu)², eight running sums in lanes, folded in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredDeviations(float* x, float mu, int n)
    {
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var (acc, vm) = (Vector256<float>.Zero, Vector256.Create(mu));
            for (; i <= n - 8; i += 8)
            {
                var d = Vector256.Load(x + i) - vm;
                acc = Vector256.FusedMultiplyAdd(d, d, acc);
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum = MathF.FusedMultiplyAdd(x[i] - mu, x[i] - mu, sum);
        return sum;
    }

    /// <summary>Σ dy[i]·(x[i] − mu), eight running sums in lanes, folded in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float CentredDot(float* dy, float* x, float mu, int n)
    {
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var (acc, vm) = (Vector256<float>.Zero, Vector256.Create(mu));
            for (; i <= n - 8; i += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Load(dy + i), Vector256.Load(x + i) - vm, acc);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum = MathF.FusedMultiplyAdd(dy[i], x[i] - mu, sum);
        return sum;
    }

    /// <summary>y[i] = (x[i] − mu)·s + b, unfused as in the Reference kernel so the two agree bit for bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normalize(float* x, float mu, float s, float b, float* y, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (vm, vs, vb) = (Vector256.Create(mu), Vector256.Create(s), Vector256.Create(b));
            for (; i <= n - 8; i += 8) ((Vector256.Load(x + i) - vm) * vs + vb).Store(y + i);
        }
        for (; i < n; i++) y[i] = (x[i] - mu) * s + b;
    }

    /// <summary>dx[i] = (dy[i] − (x[i] − mu)·p − g)·k, unfused as in the Reference kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NormalizeBackward(float* dy, float* x, float mu, float p, float g, float k, float* dx, int n)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (vm, vp, vg, vk) = (Vector256.Create(mu), Vector256.Create(p), Vector256.Create(g), Vector256.Create(k));
            for (; i <= n - 8; i += 8) ((Vector256.Load(dy + i) - (Vector256.Load(x + i) - vm) * vp - vg) * vk).Store(dx + i);
        }
        for (; i < n; i++) dx[i] = (dy[i] - (x[i] - mu) * p - g) * k;
    }

    /// <summary>dst[i] = v.</summary>
    public static void Fill(float* dst, float v, int n) => new Span<float>(dst, n).Fill(v);
}
