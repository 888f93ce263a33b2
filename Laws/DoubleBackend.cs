using Functional.Backends;
using Functional.Backends.Reference;

namespace Functional.Laws;

/// <summary>Storage of doubles, so that whole operations run in double precision for gradient checks.</summary>
public sealed class DoubleStorage(double[] data) : TensorStorage
{
    /// <summary>The elements.</summary>
    public double[] Data { get; } = data;

    /// <inheritdoc />
    public override int Length => Data.Length;

    /// <inheritdoc />
    public override ReadOnlyMemory<float> ToHost() => Data.Select(v => (float)v).ToArray();
}

/// <summary>
/// A backend whose buffers hold doubles and whose entries run the Reference kernels with T = double. Composite
/// operations (batch norm, losses, dense) then run end to end in double, through the same seam calls as in
/// float, which is what central differences need. Float host tensors made by operations (masks, targets) are
/// read as doubles.
/// </summary>
public sealed partial class DoubleBackend : IBackend
{
    /// <summary>A context running on a fresh double backend.</summary>
    public static Backends.ExecutionContext Context { get; } = new(new DoubleBackend());

    /// <summary>A tensor holding <paramref name="values"/> exactly.</summary>
    public static Tensor Tensor(Shape shape, double[] values) => new(shape, new DoubleStorage((double[])values.Clone()));

    /// <summary>The exact values of a tensor made on this backend (or a float host tensor, widened).</summary>
    public static double[] Values(Tensor t) => D(t.Storage);

    /// <summary>
    /// <paramref name="model"/> with its parameters replaced, leaf by leaf in tree order, by consecutive runs of
    /// <paramref name="values"/> held as double tensors: how a central difference perturbs one parameter at a time.
    /// </summary>
    public static Network.Model WithFlatParameters(Network.Model model, double[] values)
    {
        var offset = 0;
        return model.WithParameters(Network.TensorTree.Of(model.Parameters.Select(l =>
        {
            var t = Tensor(l.Value.Shape, values[offset..(offset + l.Value.Count)]);
            offset += l.Value.Count;
            return new Network.TensorLeaf(l.Path, t);
        }).ToArray()));
    }

    /// <inheritdoc />
    public string Name => "double";
    /// <inheritdoc />
    public int Threads => 1;
    /// <inheritdoc />
    public TensorStorage Allocate(int length) => new DoubleStorage(new double[length]);
    /// <inheritdoc />
    public IndexStorage AllocateIndices(int length) => new HostIndexStorage(new int[length]);

    /// <inheritdoc />
    public void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y) =>
        ConvKernels.Forward<double>(g, D(x), D(w), bias is null ? [] : D(bias), D(y));
    /// <inheritdoc />
    public void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx) =>
        ConvKernels.BackwardData<double>(g, D(dy), D(w), D(dx));
    /// <inheritdoc />
    public void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias) =>
        ConvKernels.BackwardFilter<double>(g, D(x), D(dy), D(dw), dbias is null ? [] : D(dbias));
    /// <inheritdoc />
    public void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y) =>
        PadKernels.Forward<double>(g, mode, D(x), D(y));
    /// <inheritdoc />
    public void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx) =>
        PadKernels.Backward<double>(g, mode, D(dy), D(dx));

    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax) =>
        PoolKernels.Forward<double>(g, D(x), D(y), argmax is null ? [] : ((HostIndexStorage)argmax).Data);
    /// <inheritdoc />
    public void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx) =>
        PoolKernels.Backward<double>(g, D(dy), argmax is null ? [] : ((HostIndexStorage)argmax).Data, D(dx));
    /// <inheritdoc />
    public void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c) =>
        GemmKernel.Run<double>(g, D(a), D(b), D(c), g.Alpha, g.Beta);
    /// <inheritdoc />
    public void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y) =>
        ElementwiseKernels.Unary<double>(op, alpha, D(x), D(y));
    /// <inheritdoc />
    public void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx) =>
        ElementwiseKernels.UnaryBackward<double>(op, alpha, D(x), D(y), D(dy), D(dx));
    /// <inheritdoc />
    public void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y) =>
        ElementwiseKernels.Binary<double>(op, g, D(a), D(b), bPerAxis, D(y));
    /// <inheritdoc />
    public void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y) =>
        ReduceKernels.Reduce<double>(op, g, D(x), keepAxis, D(y));
    /// <inheritdoc />
    public void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y) =>
        SoftmaxKernels.Forward<double>(g, log, D(x), D(y));
    /// <inheritdoc />
    public void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx) =>
        SoftmaxKernels.Backward<double>(g, log, D(y), D(dy), D(dx));
    /// <inheritdoc />
    public void BatchNormStatistics(in AxisGeometry g, TensorStorage x, TensorStorage mean, TensorStorage variance) =>
        BatchNormKernels.Statistics<double>(g, D(x), D(mean), D(variance));
    /// <inheritdoc />
    public void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y) =>
        BatchNormKernels.Forward<double>(g, eps, D(x), D(mean), D(variance), D(gamma), D(beta), D(y));
    /// <inheritdoc />
    public void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta) =>
        BatchNormKernels.Backward<double>(g, eps, training, D(x), D(mean), D(variance), D(gamma), D(dy), D(dx), D(dgamma), D(dbeta));
    /// <inheritdoc />
    public void Copy(in CopyGeometry g, TensorStorage src, TensorStorage dst)
    {
        var s = D(src); var d = D(dst);
        for (var i = 0; i < g.Count; i++)
            s.AsSpan(g.SrcOffset + i * g.SrcStride, g.BlockLength).CopyTo(d.AsSpan(g.DstOffset + i * g.DstStride, g.BlockLength));
    }

    private static double[] D(TensorStorage s) => s switch
    {
        DoubleStorage d => d.Data,
        HostStorage h => h.Data.Select(v => (double)v).ToArray(),
        _ => throw new NotSupportedException($"The double backend cannot read {s.GetType().Name}."),
    };

    // Gradient checks differentiate networks, never optimizer steps: these entries have no double form.
    /// <inheritdoc />
    public void SgdUpdate(in SgdStep s, TensorStorage p, TensorStorage g, TensorStorage? buffer, TensorStorage next, TensorStorage? nextBuffer) =>
        throw new NotSupportedException("The double backend runs gradient checks, not optimizer steps.");
    /// <inheritdoc />
    public void AdamUpdate(in AdamStep s, TensorStorage p, TensorStorage g, TensorStorage m, TensorStorage v,
        TensorStorage next, TensorStorage nextM, TensorStorage nextV) =>
        throw new NotSupportedException("The double backend runs gradient checks, not optimizer steps.");
    /// <inheritdoc />
    public void SquaresAndFlags(IReadOnlyList<TensorStorage> tensors, TensorStorage result) =>
        throw new NotSupportedException("The double backend runs gradient checks, not training steps.");
    /// <inheritdoc />
    public void ClipScale(double maxNorm, TensorStorage squaresAndFlags, TensorStorage scale) =>
        throw new NotSupportedException("The double backend runs gradient checks, not training steps.");
    /// <inheritdoc />
    public void ArgMaxHits(int rows, int classes, TensorStorage scores, TensorStorage labels, TensorStorage hits) =>
        throw new NotSupportedException("The double backend runs gradient checks, not training steps.");
}
