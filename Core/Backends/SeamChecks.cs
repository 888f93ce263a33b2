namespace Functional.Backends;

/// <summary>
/// The checks every backend entry runs before it touches memory: the geometry is well formed (no negative or
/// zero extent where a kernel divides or loops, groups divide the channels, every index a kernel computes fits
/// in 32 bits) and each buffer holds exactly the elements the geometry describes. A kernel may then index
/// through raw pointers, or a device may launch a grid, without reading or writing outside its buffers, whatever
/// geometry it was handed. Each check is O(1) and speaks in lengths, not storage types, so every backend calls
/// the same methods. A violation throws <see cref="GeometryException"/> naming the entry, the geometry and the
/// buffer lengths.
/// </summary>
public static class SeamChecks
{
    /// <summary>
    /// Any conv entry. For <c>ConvForward</c> pass (x, w, bias, y); for <c>ConvBackwardData</c> (dx, w, null, dy);
    /// for <c>ConvBackwardFilter</c> (x, dw, dbias, dy): the buffers in the roles of x, w, bias and y.
    /// </summary>
    /// <param name="biasLength">The bias (or bias gradient) length, or null when the entry has none.</param>
    /// <param name="entry">Names the backend and entry in the message, e.g. <c>cpu ConvForward</c>.</param>
    public static void Conv(in ConvGeometry g, int xLength, int wLength, int? biasLength, int yLength, string entry)
    {
        if (g.Batch < 0 || g.InChannels < 1 || g.OutChannels < 1 || g.Groups < 1
            || g.InChannels % g.Groups != 0 || g.OutChannels % g.Groups != 0)
            throw Fail(entry, g, "batch must be ≥ 0, channels and groups ≥ 1, and groups must divide both channel counts");
        for (var d = 0; d < 3; d++)
            Window(entry, g, d, g.Input[d], g.Kernel[d], g.Stride[d], g.Dilation[d], g.PadBefore[d], g.Output[d]);
        int x, w, y;
        try { (x, w, y) = (g.InputLength, g.WeightLength, g.OutputLength); }
        catch (ShapeException e) { throw Fail(entry, g, e.Message); }
        Lengths(entry, g, ("x", xLength, x), ("w", wLength, w), ("bias", biasLength ?? g.OutChannels, g.OutChannels), ("y", yLength, y));
    }

    /// <summary><c>Pad</c> (x is the input, y the padded output) and <c>PadBackward</c> (x = dx, y = dy).</summary>
    public static void Pad(in PadGeometry g, int xLength, int yLength, string entry)
    {
        if (g.Planes < 0)
            throw Fail(entry, g, $"{g.Planes} planes; the count must be ≥ 0");
        for (var d = 0; d < 3; d++)
        {
            // Every fold (reflect, circular) divides by the input extent; padding after is implied and must be ≥ 0.
            if (g.Input[d] < 1 || g.Before[d] < 0 || (long)g.Input[d] + g.Before[d] > g.Output[d])
                throw Fail(entry, g, $"along dim {d} the input {g.Input[d]} must be ≥ 1, the padding before {g.Before[d]} ≥ 0, " +
                    $"and input + before ≤ the output {g.Output[d]}");
        }
        int x, y;
        try { (x, y) = (g.InputLength, g.OutputLength); }
        catch (ShapeException e) { throw Fail(entry, g, e.Message); }
        Lengths(entry, g, ("x", xLength, x), ("y", yLength, y));
    }

    /// <summary>
    /// <c>PoolForward</c> (x, y, argmax) and <c>PoolBackward</c> (dx, dy, argmax). Max pooling needs its argmax
    /// buffer in both directions; the average kinds take none (pass null).
    /// </summary>
    public static void Pool(in PoolGeometry g, int xLength, int yLength, int? argmaxLength, string entry)
    {
        if (!Enum.IsDefined(g.Kind))
            throw Fail(entry, g, $"unknown pooling kind {(int)g.Kind}");
        if (g.Planes < 0)
            throw Fail(entry, g, $"{g.Planes} planes; the count must be ≥ 0");
        for (var d = 0; d < 3; d++)
        {
            if (g.Kind == PoolKind.AdaptiveAverage)
            {
                if (g.Input[d] < 1 || g.Output[d] < 1)
                    throw Fail(entry, g, $"along dim {d} input {g.Input[d]} and output {g.Output[d]} must be ≥ 1");
                continue;
            }
            Window(entry, g, d, g.Input[d], g.Kernel[d], g.Stride[d], g.Dilation[d], g.PadBefore[d], g.Output[d]);
            // PyTorch's rule p ≤ ⌊k/2⌋: the average divisor and the max's window both rely on it.
            if (g.PadBefore[d] > g.Kernel[d] / 2)
                throw Fail(entry, g, $"along dim {d} padding {g.PadBefore[d]} is more than half the kernel {g.Kernel[d]}");
        }
        int inputLength, outputLength;
        try { (inputLength, outputLength) = (g.InputLength, g.OutputLength); }
        catch (ShapeException e) { throw Fail(entry, g, e.Message); }
        if (g.Kind == PoolKind.Max && argmaxLength is null)
            throw Fail(entry, g, "max pooling needs its argmax buffer");
        if (g.Kind != PoolKind.Max && argmaxLength is not null)
            throw Fail(entry, g, "only max pooling takes an argmax buffer");
        Lengths(entry, g,
            ("x", xLength, inputLength),
            ("y", yLength, outputLength),
            ("argmax", argmaxLength ?? outputLength, outputLength));
    }

    /// <summary><c>Gemm</c>: every matrix of the batch lies inside its buffer.</summary>
    public static void Gemm(in GemmGeometry g, int aLength, int bLength, int cLength, string entry)
    {
        if (g.M < 0 || g.N < 0 || g.K < 0 || g.Batch < 0 || g.StrideA < 0 || g.StrideB < 0 || g.StrideC < 0
            || g.OffsetA < 0 || g.OffsetB < 0 || g.OffsetC < 0)
            throw Fail(entry, g, "sizes, strides and offsets must not be negative");
        if (g.Batch == 0) return;
        Matrix(entry, g, "A", aLength, g.OffsetA, g.StrideA, (long)g.M * g.K);
        Matrix(entry, g, "B", bLength, g.OffsetB, g.StrideB, (long)g.K * g.N);
        Matrix(entry, g, "C", cLength, g.OffsetC, g.StrideC, (long)g.M * g.N);
    }

    /// <summary><c>Unary</c>: x and y of one length.</summary>
    public static void Unary(int xLength, int yLength, string entry)
    {
        if (xLength != yLength)
            throw new GeometryException($"{entry}: x holds {xLength} elements and y {yLength}; an element-wise map needs equal lengths.");
    }

    /// <summary><c>UnaryBackward</c> and the masks of the fused entries: x, y, dy and dx of one length.</summary>
    public static void UnaryBackward(int xLength, int yLength, int dyLength, int dxLength, string entry)
    {
        if (xLength != dyLength || yLength != dyLength || dxLength != dyLength)
            throw new GeometryException(
                $"{entry}: x {xLength}, y {yLength}, dy {dyLength} and dx {dxLength} elements; an element-wise backward needs equal lengths.");
    }

    /// <summary><c>Binary</c>: a and y hold the geometry; b too, or one value per axis entry when <paramref name="bPerAxis"/>.</summary>
    public static void Binary(in AxisGeometry g, int aLength, int bLength, bool bPerAxis, int yLength, string entry)
    {
        var n = AxisLength(entry, g);
        Lengths(entry, g, ("a", aLength, n), ("b", bLength, bPerAxis ? g.Axis : n), ("y", yLength, n));
    }

    /// <summary><c>Reduce</c>: y holds Axis values with <paramref name="keepAxis"/>, else Outer·Inner.</summary>
    public static void Reduce(in AxisGeometry g, int xLength, bool keepAxis, int yLength, string entry)
    {
        var n = AxisLength(entry, g);
        Lengths(entry, g, ("x", xLength, n), ("y", yLength, keepAxis ? g.Axis : (long)g.Outer * g.Inner));
    }

    /// <summary><c>Softmax</c> (x, y) and <c>SoftmaxBackward</c> (y, dy, dx; pass dy as <paramref name="dyLength"/>).</summary>
    public static void Softmax(in AxisGeometry g, int xLength, int yLength, int? dyLength, string entry)
    {
        var n = AxisLength(entry, g);
        Lengths(entry, g, ("x", xLength, n), ("y", yLength, n), ("dy", dyLength ?? n, n));
    }

    /// <summary>
    /// The batch-norm entries. Activations (x, y; dy and dx in the backward) hold the whole geometry; per-channel
    /// buffers (mean, variance, gamma, beta; dgamma and dbeta in the backward) hold one value per Axis entry.
    /// Pass the lengths an entry has, in any order, with their names.
    /// </summary>
    public static void BatchNorm(in AxisGeometry g, string entry, ReadOnlySpan<(string Name, int Length)> activations,
        ReadOnlySpan<(string Name, int Length)> perChannel)
    {
        var n = AxisLength(entry, g);
        foreach (var (name, length) in activations)
            if (length != n) throw Mismatch(entry, g, name, length, n);
        foreach (var (name, length) in perChannel)
            if (length != g.Axis) throw Mismatch(entry, g, name, length, g.Axis);
    }

    /// <summary><c>Copy</c>: every source and destination block lies inside its buffer.</summary>
    public static void Copy(in CopyGeometry g, int srcLength, int dstLength, string entry)
    {
        if (g.Count < 0 || g.BlockLength < 0 || g.SrcOffset < 0 || g.DstOffset < 0 || g.SrcStride < 0 || g.DstStride < 0)
            throw Fail(entry, g, "counts, lengths, offsets and strides must not be negative");
        if (g.Count == 0 || g.BlockLength == 0) return;
        var srcEnd = g.SrcOffset + (long)(g.Count - 1) * g.SrcStride + g.BlockLength;
        var dstEnd = g.DstOffset + (long)(g.Count - 1) * g.DstStride + g.BlockLength;
        if (srcEnd > srcLength || dstEnd > dstLength)
            throw Fail(entry, g, $"the blocks end at source element {srcEnd} and destination element {dstEnd}; " +
                $"the buffers hold {srcLength} and {dstLength}");
    }

    // One spatial dim of a sliding window. Kernels compute o·s − p + j·d in int: with o < Output and j < Kernel,
    // that lies in [−p, (Output−1)·s + (Kernel−1)·d − p]; the span one past the last tap and the padded input
    // (i + p) must fit too, since the fast paths size copies by them.
    private static void Window<TGeometry>(string entry, in TGeometry g, int d, int input, int kernel, int stride, int dilation, int padBefore, int output)
    {
        if (input < 1 || kernel < 1 || stride < 1 || dilation < 1 || padBefore < 0 || output < 0)
            throw Fail(entry, g, $"along dim {d} input {input}, kernel {kernel}, stride {stride} and dilation {dilation} must be ≥ 1, " +
                $"padding {padBefore} and output {output} ≥ 0");
        var reach = (long)Math.Max(output - 1, 0) * stride + (long)(kernel - 1) * dilation + 1;
        if (reach > int.MaxValue || (long)input + padBefore > int.MaxValue)
            throw Fail(entry, g, $"along dim {d} the windows reach (o−1)·s + (k−1)·d + 1 = {reach} positions and the input with its " +
                $"padding before {(long)input + padBefore}; both must fit in 32 bits");
    }

    private static void Matrix(string entry, in GemmGeometry g, string name, int length, int offset, int stride, long size)
    {
        var end = offset + (long)(g.Batch - 1) * stride + size;
        if (size > 0 && end > length)
            throw Fail(entry, g, $"matrix {name} of the batch ends at element {end}, beyond its buffer of {length}");
    }

    private static int AxisLength(string entry, in AxisGeometry g)
    {
        if (g.Outer < 0 || g.Axis < 0 || g.Inner < 0)
            throw Fail(entry, g, "Outer, Axis and Inner must be ≥ 0");
        try { return g.Length; }
        catch (ShapeException e) { throw Fail(entry, g, e.Message); }
    }

    private static void Lengths<TGeometry>(string entry, in TGeometry g, params ReadOnlySpan<(string Name, int Actual, long Expected)> buffers)
    {
        foreach (var (name, actual, expected) in buffers)
            if (actual != expected) throw Mismatch(entry, g, name, actual, expected);
    }

    private static GeometryException Mismatch<TGeometry>(string entry, in TGeometry g, string name, int actual, long expected) =>
        new($"{entry}: {name} holds {actual} elements; {g} needs {expected}.");

    private static GeometryException Fail<TGeometry>(string entry, in TGeometry g, string rule) => new($"{entry}: {g}: {rule}.");
}
