namespace Functional.Backends.Cpu;

/// <summary>
/// Where the GEMM's B operand comes from: anything that can write a K_c×N_c block of B in the micro-kernel's
/// packed order (NR-column slivers, each k-major, zero past the last column). A strided matrix is one source;
/// a convolution's input, read through its im2col offsets, is another, so no column matrix is ever stored.
/// </summary>
internal unsafe interface IPanelSource
{
    /// <summary>Packs rows pc..pc+kc, columns jc..jc+nc of B into <paramref name="dst"/>.</summary>
    void Pack(int pc, int jc, int kc, int nc, float* dst);
}

/// <summary>A panel source that can also hand out its columns from some offset on, for a split over threads.</summary>
internal interface IColumnSplit<TB> where TB : struct
{
    /// <summary>The same B without its first <paramref name="start"/> columns.</summary>
    TB Columns(int start);
}

/// <summary>B as a strided matrix in memory.</summary>
internal readonly unsafe struct StridedPanel(Strided b) : IPanelSource, IColumnSplit<StridedPanel>
{
    private readonly Strided _b = b;

    /// <inheritdoc />
    public void Pack(int pc, int jc, int kc, int nc, float* dst) => GemmPacking.PackB(_b, pc, jc, kc, nc, dst);

    /// <inheritdoc />
    public StridedPanel Columns(int start) => new(new Strided(_b.P + (long)start * _b.Cs, _b.Rs, _b.Cs));
}
