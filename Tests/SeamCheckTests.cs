using Functional.Backends;
using Functional.Backends.Cpu;
using Functional.Backends.Ilgpu;
using Functional.Backends.Reference;
using Xunit;

using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Tests;

/// <summary>
/// Every backend entry checks its geometry against its buffers before touching memory: a geometry built by
/// mistake is a <see cref="GeometryException"/> naming the entry, the geometry and the lengths, never a read or
/// write outside a buffer.
/// </summary>
public class SeamCheckTests
{
    public static TheoryData<string> Backends => ["reference", "cpu", "ilgpu"];

    private static IBackend Backend(string name) => name switch
    {
        "cpu" => new CpuBackend(2),
        "ilgpu" => ExecutionContext.Ilgpu(IlgpuKind.Cpu).Backend,
        _ => new ReferenceBackend(),
    };

    private static TensorStorage Buffer(IBackend b, long length) => b.Allocate(checked((int)length));

    // The geometry the 32-bit shape rules once planned for a 3×3 kernel with dilation 2^31 − 1 on an 8×8 input:
    // d(k−1) wrapped to −2, so the output was 10×10 and the taps reached 4 GiB past the input.
    private static readonly ConvGeometry WrappedDilation = new(2, 1, 1, 2, 1, new Dims3(1, 8, 8), new Dims3(1, 3, 3),
        Dims3.All(1), new Dims3(1, int.MaxValue, int.MaxValue), Dims3.All(0), new Dims3(1, 10, 10));

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_wrapped_conv_geometry_is_rejected_by_every_conv_entry(string name)
    {
        var b = Backend(name);
        var g = WrappedDilation;
        var (x, w, bias, y) = (Buffer(b, 64), Buffer(b, 18), Buffer(b, 2), Buffer(b, 200));
        var e = Assert.Throws<GeometryException>(() => b.ConvForward(g, x, w, bias, y));
        Assert.StartsWith($"{name} ConvForward: ConvGeometry", e.Message);
        Assert.Contains("the windows reach (o−1)·s + (k−1)·d + 1 = 4294967304 positions", e.Message);
        Assert.Throws<GeometryException>(() => b.ConvBackwardData(g, y, w, x));
        Assert.Throws<GeometryException>(() => b.ConvBackwardFilter(g, x, y, w, bias));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_buffer_shorter_than_its_geometry_is_named_with_both_lengths(string name)
    {
        var b = Backend(name);
        var g = new ConvGeometry(2, 1, 1, 2, 1, new Dims3(1, 8, 8), new Dims3(1, 3, 3), Dims3.All(1), Dims3.All(1), Dims3.All(0), new Dims3(1, 6, 6));
        var e = Assert.Throws<GeometryException>(() => b.ConvForward(g, Buffer(b, 63), Buffer(b, 18), null, Buffer(b, 72)));
        Assert.StartsWith($"{name} ConvForward: x holds 63 elements; ConvGeometry", e.Message);
        Assert.EndsWith("needs 64.", e.Message);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Pool_entries_check_windows_and_argmax(string name)
    {
        var b = Backend(name);
        var g = new PoolGeometry(2, PoolKind.Max, 1, new Dims3(1, 4, 4), new Dims3(1, 2, 2), new Dims3(1, int.MaxValue, 2),
            Dims3.All(1), Dims3.All(0), new Dims3(1, 2, 2), true);
        var (x, y) = (Buffer(b, 16), Buffer(b, 4));
        Assert.Contains("must fit in 32 bits", Assert.Throws<GeometryException>(() => b.PoolForward(g, x, y, b.AllocateIndices(4))).Message);
        var ok = g with { Stride = new Dims3(1, 2, 2) };
        Assert.Contains("needs its argmax buffer", Assert.Throws<GeometryException>(() => b.PoolForward(ok, x, y, null)).Message);
        Assert.Contains("argmax holds 3", Assert.Throws<GeometryException>(() => b.PoolBackward(ok, y, b.AllocateIndices(3), x)).Message);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Axis_entries_reject_negative_extents_whose_product_matches(string name)
    {
        var b = Backend(name);
        // (−1)·(−1)·4 = 4: the lengths agree, but a kernel would loop over a negative range.
        var g = new AxisGeometry(-1, -1, 4);
        var e = Assert.Throws<GeometryException>(() => b.Softmax(g, false, Buffer(b, 4), Buffer(b, 4)));
        Assert.Equal($"{name} Softmax: {g}: Outer, Axis and Inner must be ≥ 0.", e.Message);
        Assert.Throws<GeometryException>(() => b.Reduce(ReduceOp.Sum, g, Buffer(b, 4), true, Buffer(b, 1)));
        Assert.Throws<GeometryException>(() => b.Binary(BinaryOp.Add, g, Buffer(b, 4), Buffer(b, 4), false, Buffer(b, 4)));
        Assert.Throws<GeometryException>(() => b.BatchNormStatistics(g, Buffer(b, 4), Buffer(b, 1), Buffer(b, 1)));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Copy_gemm_pad_and_unary_entries_check_their_extents(string name)
    {
        var b = Backend(name);
        Assert.Contains("source element 12",
            Assert.Throws<GeometryException>(() => b.Copy(new CopyGeometry(3, 4, 0, 4, 0, 4), Buffer(b, 11), Buffer(b, 12))).Message);
        Assert.Contains("matrix A",
            Assert.Throws<GeometryException>(() => b.Gemm(new GemmGeometry(2, 2, 2, Batch: 2, StrideA: 4), Buffer(b, 7), Buffer(b, 4), Buffer(b, 4))).Message);
        var pad = new PadGeometry(1, new Dims3(1, 1, 4), new Dims3(0, 0, 3), new Dims3(1, 1, 5));
        Assert.Contains("input + before ≤ the output",
            Assert.Throws<GeometryException>(() => b.Pad(pad, PaddingMode.Zeros, Buffer(b, 4), Buffer(b, 5))).Message);
        Assert.Throws<GeometryException>(() => b.Unary(UnaryOp.ReLU, 0f, Buffer(b, 4), Buffer(b, 3)));
        Assert.Throws<GeometryException>(() => b.UnaryBackward(UnaryOp.ReLU, 0f, Buffer(b, 4), Buffer(b, 4), Buffer(b, 4), Buffer(b, 5)));
    }
}
