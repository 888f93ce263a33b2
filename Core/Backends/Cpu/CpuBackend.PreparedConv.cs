namespace Functional.Backends.Cpu;

// Filters prepared once for an inference plan: the Winograd transform of a 3×3 filter, or the filter packed for the
// GEMM, each made exactly as a call would make it.
public sealed partial class CpuBackend
{
    // Transformed filters are 36/9 = 4 times the filter; above this many floats (4 MiB) a plan would hold more memory
    // than the per-call transform costs at the tile counts such layers run with. Packed filters are the filter's size.
    private const int MaxPreparedFloats = 1 << 20, MaxPackedFloats = 1 << 24;

    /// <inheritdoc />
    public unsafe PreparedFilter? PrepareConvFilter(in ConvGeometry g, TensorStorage w)
    {
        var ws = Host(w);
        if (ws.Length != g.WeightLength) return null;
        var path = ForwardPath(g);
        fixed (float* pw = ws)
        {
            if (path == ConvPath.Winograd)
            {
                if (Winograd.FilterFloats(g) > MaxPreparedFloats) return null;
                return Winograd.PrepareFilter(_pool, g, pw) is { } u ? new CpuPreparedFilter(g, u, null) : null;
            }
            if (path != ConvPath.Gemm) return null;
            var (m, k) = (g.OutPerGroup, g.InPerGroup * g.Kernel.Product);
            var length = PackedA.Length(m, k);
            if (length * g.Groups > MaxPackedFloats) return null;
            var packed = new AlignedBuffer(checked((int)(length * g.Groups)));
            for (var grp = 0; grp < g.Groups; grp++)
                PackedA.Pack(new Strided(pw + (long)grp * m * k, k, 1), m, k, packed.Start + grp * length);
            return new CpuPreparedFilter(g, null, packed);
        }
    }

    /// <inheritdoc />
    public void ConvForwardPrepared(in ConvGeometry g, TensorStorage x, TensorStorage w, PreparedFilter? prepared, TensorStorage? bias,
        TensorStorage y, bool relu) =>
        ConvForward(g, x, w, bias, y, relu, prepared is CpuPreparedFilter p && p.Fits(g) ? p : null);
}

/// <summary>The Cpu backend's prepared form of a conv filter, for convs of one filter geometry: its Winograd transform, or
/// each group's filter packed whole for the GEMM.</summary>
internal sealed class CpuPreparedFilter(ConvGeometry g, AlignedBuffer? winograd, AlignedBuffer? packed) : PreparedFilter
{
    /// <summary>U as <see cref="Winograd.Forward"/> reads it, or null.</summary>
    public AlignedBuffer? Winograd { get; } = winograd;

    /// <summary>W_g as <see cref="PackedA"/> blocks, group after group, or null.</summary>
    public AlignedBuffer? Packed { get; } = packed;

    /// <summary>Whether a conv of geometry <paramref name="other"/> reads this filter the same way: batch and image size may differ.</summary>
    public bool Fits(in ConvGeometry other) =>
        other.InChannels == g.InChannels && other.OutChannels == g.OutChannels && other.Groups == g.Groups && other.Kernel == g.Kernel
        && other.Stride == g.Stride && other.Dilation == g.Dilation && other.PadBefore == g.PadBefore;
}
