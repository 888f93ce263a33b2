using System.Buffers;

namespace Functional.Backends.Cpu;

/// <summary>
/// Pooled kernel scratch (im2col columns, packed panels, partial sums). Only scratch is pooled: tensor storage
/// belongs to its tensor for life. A dedicated pool keeps large buffers across training steps, so a step does
/// not allocate on the large-object heap once the first step has warmed the pool.
/// </summary>
internal static class Scratch
{
    private static readonly ArrayPool<float> Pool = ArrayPool<float>.Create(1 << 30, 32);

    /// <summary>
    /// The largest zero-bordered plane set (in floats) the direct conv kernels copy their input into. They index it
    /// in int and exist for small problems; a geometry that would need more (a huge padding or dilation with a
    /// small output) takes the im2col path instead, which only ever holds what the taps read.
    /// </summary>
    public const long MaxBorderedFloats = 1 << 24;

    /// <summary>A buffer of at least <paramref name="length"/> floats with unspecified contents.</summary>
    public static float[] Rent(int length) => Pool.Rent(Math.Max(length, 1));

    /// <summary>
    /// Extra floats to rent for a buffer that <see cref="Align"/> will start on a cache line: a managed array's data
    /// is only 8-byte aligned, and a packed 16-float row of B that straddles two lines costs a split load per step.
    /// </summary>
    public const int AlignSlack = CacheLine / sizeof(float) - 1;

    private const int CacheLine = 64;

    /// <summary>The first cache-line boundary at or after <paramref name="p"/> (a pinned buffer rented with
    /// <see cref="AlignSlack"/> extra floats).</summary>
    public static unsafe float* Align(float* p) => (float*)(((nint)p + (CacheLine - 1)) & ~(nint)(CacheLine - 1));

    /// <summary>Gives a rented buffer back.</summary>
    public static void Return(float[] buffer) => Pool.Return(buffer);
}
