using Functional.Backends.Reference;

namespace Functional.Backends.Cpu;

/// <summary>
/// The fast host backend: packed, cache-blocked GEMM with an AVX2/FMA register tile (a scalar FMA loop where
/// 256-bit vectors are not accelerated), convolutions through im2col + GEMM (1×1 straight to GEMM), direct
/// depthwise kernels, and vectorised element-wise, pooling, softmax and reduction kernels, all run on persistent
/// worker threads. Work is cut into pieces fixed by the geometry, never by the thread count, and each output
/// element is summed in a fixed order, so results are bit-identical for any number of threads. Explicit padding
/// and adaptive pooling run the Reference kernels over plane chunks in parallel. See docs/cpu.md.
/// </summary>
public sealed partial class CpuBackend : IBackend
{
    private readonly WorkerPool _pool;

    /// <summary>A backend with <paramref name="threads"/> threads (the caller's thread counts as one).</summary>
    public CpuBackend(int threads)
    {
        if (threads < 1 || threads > 256)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "The CPU backend needs between 1 and 256 threads.");
        _pool = new WorkerPool(threads);
    }

    /// <inheritdoc />
    public string Name => "cpu";

    /// <inheritdoc />
    public int Threads => _pool.Threads;

    /// <inheritdoc />
    public TensorStorage Allocate(int length) => new HostStorage(new float[length]);

    /// <inheritdoc />
    public TensorStorage AllocateUninitialized(int length) => new HostStorage(GC.AllocateUninitializedArray<float>(length));

    /// <inheritdoc />
    public IndexStorage AllocateIndices(int length) => new HostIndexStorage(new int[length]);

    /// <inheritdoc />
    public void Copy(in CopyGeometry g, TensorStorage src, TensorStorage dst)
    {
        SeamChecks.Copy(g, src.Length, dst.Length, "cpu Copy");
        var s = Host(src); var d = Host(dst);
        for (var i = 0; i < g.Count; i++)
            s.AsSpan(g.SrcOffset + i * g.SrcStride, g.BlockLength).CopyTo(d.AsSpan(g.DstOffset + i * g.DstStride, g.BlockLength));
    }

    /// <inheritdoc />
    public void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y)
    {
        var (xs, ys, geometry) = (Host(x), Host(y), g);
        SeamChecks.Pad(g, xs.Length, ys.Length, "cpu Pad");
        ForPlanes(g.Planes, g.Output.Product, (p0, count) =>
            PadKernels.Forward<float>(geometry with { Planes = count },
                mode, xs.AsSpan(p0 * geometry.Input.Product, count * geometry.Input.Product),
                ys.AsSpan(p0 * geometry.Output.Product, count * geometry.Output.Product)));
    }

    /// <inheritdoc />
    public void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx)
    {
        var (dys, dxs, geometry) = (Host(dy), Host(dx), g);
        SeamChecks.Pad(g, dxs.Length, dys.Length, "cpu PadBackward");
        ForPlanes(g.Planes, g.Output.Product, (p0, count) =>
            PadKernels.Backward<float>(geometry with { Planes = count },
                mode, dys.AsSpan(p0 * geometry.Output.Product, count * geometry.Output.Product),
                dxs.AsSpan(p0 * geometry.Input.Product, count * geometry.Input.Product)));
    }

    /// <summary>
    /// Runs <paramref name="body"/>(first plane, plane count) over independent planes in chunks of about 64K
    /// elements, a size fixed by the geometry alone.
    /// </summary>
    private void ForPlanes(int planes, int planeLength, Action<int, int> body)
    {
        var perChunk = Math.Max(1, (1 << 16) / Math.Max(1, planeLength));
        var chunks = (planes + perChunk - 1) / perChunk;
        _pool.For(chunks, i => body(i * perChunk, Math.Min(perChunk, planes - i * perChunk)));
    }

    /// <summary>Runs <paramref name="body"/>(start, count) over 0..length−1 in fixed chunks of 32K elements.</summary>
    private void ForRange(int length, Action<int, int> body)
    {
        const int chunk = 1 << 15;
        var chunks = (length + chunk - 1) / chunk;
        _pool.For(chunks, i => body(i * chunk, Math.Min(chunk, length - i * chunk)));
    }

    private static float[] Host(TensorStorage s) => ReferenceBackend.Host(s);

    private static int[] Host(IndexStorage s) => ReferenceBackend.Host(s);
}
