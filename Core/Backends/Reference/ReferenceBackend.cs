namespace Functional.Backends.Reference;

/// <summary>
/// The oracle backend: single-threaded plain loops that read like the formulas in docs/design.md. Each entry
/// forwards to a kernel generic over the element type (<c>float</c> here; gradient checks call the same kernels
/// in <c>double</c>). The seam entries are split over partial files by operation family.
/// </summary>
public sealed partial class ReferenceBackend : IBackend
{
    /// <inheritdoc />
    public string Name => "reference";

    /// <inheritdoc />
    public int Threads => 1;

    /// <inheritdoc />
    public TensorStorage Allocate(int length) => new HostStorage(new float[length]);

    /// <inheritdoc />
    public IndexStorage AllocateIndices(int length) => new HostIndexStorage(new int[length]);

    /// <inheritdoc />
    public void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c)
    {
        SeamChecks.Gemm(g, a.Length, b.Length, c.Length, "reference Gemm");
        GemmKernel.Run(g, Host(a), Host(b), Host(c), g.Alpha, g.Beta);
    }

    /// <inheritdoc />
    public void Copy(in CopyGeometry g, TensorStorage src, TensorStorage dst)
    {
        SeamChecks.Copy(g, src.Length, dst.Length, "reference Copy");
        var s = Host(src); var d = Host(dst);
        for (var i = 0; i < g.Count; i++)
            s.AsSpan(g.SrcOffset + i * g.SrcStride, g.BlockLength).CopyTo(d.AsSpan(g.DstOffset + i * g.DstStride, g.BlockLength));
    }

    /// <summary>The host array behind a storage; the Reference backend only runs on host memory.</summary>
    internal static float[] Host(TensorStorage s) => s is HostStorage h
        ? h.Data
        : throw new NotSupportedException($"The reference backend runs on host memory, not on {s.GetType().Name}.");

    /// <summary>The host array behind a storage, or an empty array for an absent optional buffer.</summary>
    internal static float[] HostOrEmpty(TensorStorage? s) => s is null ? [] : Host(s);

    /// <summary>The host array behind an index storage.</summary>
    internal static int[] Host(IndexStorage s) => s is HostIndexStorage h
        ? h.Data
        : throw new NotSupportedException($"The reference backend runs on host memory, not on {s.GetType().Name}.");
}
