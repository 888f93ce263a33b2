namespace Functional.Backends.Ilgpu;

/// <summary>
/// Extents as kernels compute them: plain products. The geometry's own <see cref="Dims3.Product"/> and
/// <see cref="AxisGeometry.Length"/> check for overflow and build a message on failure, which no GPU can compile
/// (ILGPU reports an internal compiler error for the string and the span). The host checks each geometry against
/// its buffers before launching (<see cref="SeamChecks"/>), so these products are known to fit in an int.
/// </summary>
internal static class KernelExtents
{
    /// <summary>D·H·W, unchecked.</summary>
    public static int Cells(this Dims3 d) => d.D * d.H * d.W;

    /// <summary>Outer·Axis·Inner, unchecked.</summary>
    public static int Cells(this AxisGeometry g) => g.Outer * g.Axis * g.Inner;
}
