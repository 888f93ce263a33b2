namespace Functional.Backends.Cpu;

// Filters prepared once for an inference plan: the Winograd transform of a 3×3 filter, made as each call would make it.
public sealed partial class CpuBackend
{
    // Transformed filters are 36/9 = 4 times the filter; above this many floats (4 MiB) a plan would hold more memory
    // than the per-call transform costs at the tile counts such layers run with.
    private const int MaxPreparedFloats = 1 << 20;

    /// <inheritdoc />
    public unsafe PreparedFilter? PrepareConvFilter(in ConvGeometry g, TensorStorage w)
    {
        var ws = Host(w);
        if (ws.Length != g.WeightLength || ForwardPath(g) != ConvPath.Winograd) return null;
        if (36L * ((g.InChannels + 7) / 8 * 8) * ((g.OutChannels + 15) / 16 * 16) > MaxPreparedFloats) return null;
        fixed (float* pw = ws)
            return Winograd.PrepareFilter(_pool, g, pw) is { } u ? new CpuPreparedFilter(g, u) : null;
    }

    /// <inheritdoc />
    public void ConvForwardPrepared(in ConvGeometry g, TensorStorage x, TensorStorage w, PreparedFilter? prepared, TensorStorage? bias,
        TensorStorage y, bool relu) =>
        ConvForward(g, x, w, bias, y, relu, prepared is CpuPreparedFilter p && p.Fits(g) ? p : null);
}

/// <summary>The Cpu backend's prepared form of a conv filter: its Winograd transform, for convs of one filter geometry.</summary>
internal sealed class CpuPreparedFilter(ConvGeometry g, float[] winograd) : PreparedFilter
{
    /// <summary>U as <see cref="Winograd.Forward"/> reads it.</summary>
    public float[] Winograd { get; } = winograd;

    /// <summary>Whether a conv of geometry <paramref name="other"/> reads this filter the same way: batch and image size may differ.</summary>
    public bool Fits(in ConvGeometry other) =>
        other.InChannels == g.InChannels && other.OutChannels == g.OutChannels && other.Groups == g.Groups && other.Kernel == g.Kernel
        && other.Stride == g.Stride && other.Dilation == g.Dilation && other.PadBefore == g.PadBefore;
}
