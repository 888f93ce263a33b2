namespace Functional.Backends;

/// <summary>
/// Everything a backend needs to run one convolution (cross-correlation) over contiguous N×C×D×H×W buffers.
/// Weights are C_out × (C_in/Groups) × kD × kH × kW. Padding is zero padding; other modes are applied as an
/// explicit <see cref="PadGeometry"/> step first. The output extent is explicit, so padding after the input is
/// implied: it may be more or less than <see cref="PadBefore"/> (Same padding, transposed convs).
/// </summary>
/// <param name="Rank">Spatial rank of the user-facing op (1, 2 or 3); kernels may ignore it.</param>
public readonly record struct ConvGeometry(
    int Rank, int Batch, int InChannels, int OutChannels, int Groups,
    Dims3 Input, Dims3 Kernel, Dims3 Stride, Dims3 Dilation, Dims3 PadBefore, Dims3 Output)
{
    /// <summary>Input channels per group.</summary>
    public int InPerGroup => InChannels / Groups;

    /// <summary>Output channels per group.</summary>
    public int OutPerGroup => OutChannels / Groups;

    /// <summary>Elements of x: N·C_in·D·H·W.</summary>
    /// <exception cref="ShapeException">Every length here is computed without wrapping: one that does not fit in an
    /// <c>int</c> throws, quoting the true count.</exception>
    public int InputLength => Extents.Product("ConvGeometry input N·C_in·D·H·W", Batch, InChannels, Input.D, Input.H, Input.W);

    /// <summary>Elements of y: N·C_out·oD·oH·oW.</summary>
    public int OutputLength => Extents.Product("ConvGeometry output N·C_out·oD·oH·oW", Batch, OutChannels, Output.D, Output.H, Output.W);

    /// <summary>Elements of w: C_out·(C_in/G)·kD·kH·kW.</summary>
    public int WeightLength => Extents.Product("ConvGeometry weight C_out·(C_in/G)·kD·kH·kW", OutChannels, InPerGroup, Kernel.D, Kernel.H, Kernel.W);

    /// <summary>Multiply-adds of the forward pass.</summary>
    public long MultiplyAdds => Extents.Product64("ConvGeometry multiply-adds", OutputLength, InPerGroup, Kernel.Product);
}

/// <summary>Explicit padding of N·C planes from <see cref="Input"/> to <see cref="Output"/>, starting <see cref="Before"/> in.</summary>
/// <param name="Planes">N·C: the number of independent D×H×W planes.</param>
public readonly record struct PadGeometry(int Planes, Dims3 Input, Dims3 Before, Dims3 Output)
{
    /// <summary>Elements of x: Planes·D·H·W.</summary>
    /// <exception cref="ShapeException">The length does not fit in an <c>int</c>.</exception>
    public int InputLength => Extents.Product("PadGeometry input planes·D·H·W", Planes, Input.D, Input.H, Input.W);

    /// <summary>Elements of y: Planes·oD·oH·oW.</summary>
    /// <exception cref="ShapeException">The length does not fit in an <c>int</c>.</exception>
    public int OutputLength => Extents.Product("PadGeometry output planes·oD·oH·oW", Planes, Output.D, Output.H, Output.W);
}

/// <summary>The pooling family.</summary>
public enum PoolKind
{
    /// <summary>Max over the window; the first maximum wins ties, as in PyTorch.</summary>
    Max,
    /// <summary>Average over the window (see <see cref="PoolGeometry.CountIncludePad"/>).</summary>
    Average,
    /// <summary>Adaptive average: window i spans ⌊i·In/Out⌋ to ⌈(i+1)·In/Out⌉; kernel, stride and padding are unused.</summary>
    AdaptiveAverage,
}

/// <summary>
/// One pooling over N·C planes. <see cref="Output"/> is already resolved (floor or ceil mode). For average
/// pooling the divisor follows PyTorch: with <see cref="CountIncludePad"/> it counts the window clipped to the
/// padded input, otherwise only the input elements it covers.
/// </summary>
public readonly record struct PoolGeometry(
    int Rank, PoolKind Kind, int Planes, Dims3 Input, Dims3 Kernel, Dims3 Stride, Dims3 Dilation,
    Dims3 PadBefore, Dims3 Output, bool CountIncludePad)
{
    /// <summary>Padding after the input used for the average divisor (PyTorch clips windows to i + p).</summary>
    public Dims3 PadAfter => PadBefore;

    /// <summary>Elements of x.</summary>
    /// <exception cref="ShapeException">The length does not fit in an <c>int</c>.</exception>
    public int InputLength => Extents.Product("PoolGeometry input planes·D·H·W", Planes, Input.D, Input.H, Input.W);

    /// <summary>Elements of y.</summary>
    /// <exception cref="ShapeException">The length does not fit in an <c>int</c>.</exception>
    public int OutputLength => Extents.Product("PoolGeometry output planes·oD·oH·oW", Planes, Output.D, Output.H, Output.W);
}

/// <summary>
/// A batch of row-major GEMMs: C = Alpha·op(A)·op(B) + Beta·C with op(A) M×K and op(B) K×N. Matrix b of the
/// batch starts at b·StrideA, b·StrideB, b·StrideC (0 shares one matrix across the batch).
/// </summary>
public readonly record struct GemmGeometry(
    int M, int N, int K, bool TransA = false, bool TransB = false, float Alpha = 1f, float Beta = 0f,
    int Batch = 1, int StrideA = 0, int StrideB = 0, int StrideC = 0, int OffsetA = 0, int OffsetB = 0, int OffsetC = 0);

/// <summary>
/// A tensor viewed as Outer × Axis × Inner around one axis: softmax runs along Axis, reductions reduce it,
/// per-channel broadcasts index it.
/// </summary>
public readonly record struct AxisGeometry(int Outer, int Axis, int Inner)
{
    /// <summary>Outer·Axis·Inner.</summary>
    /// <exception cref="ShapeException">The length does not fit in an <c>int</c>.</exception>
    public int Length => Extents.Product("AxisGeometry Outer·Axis·Inner", Outer, Axis, Inner);

    /// <summary>The geometry of <paramref name="shape"/> around <paramref name="axis"/>.</summary>
    public static AxisGeometry Around(Shape shape, int axis)
    {
        var a = shape.Axis(axis);
        int outer = 1, inner = 1;
        for (var i = 0; i < a; i++) outer *= shape[i];
        for (var i = a + 1; i < shape.Rank; i++) inner *= shape[i];
        return new(outer, shape[a], inner);
    }
}

/// <summary>A strided block copy: Count blocks of BlockLength from Src+i·SrcStride to Dst+i·DstStride.</summary>
public readonly record struct CopyGeometry(int Count, int BlockLength, int SrcOffset, int SrcStride, int DstOffset, int DstStride);
