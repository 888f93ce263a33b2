using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Functional.Backends;

namespace Functional.Tests.Support;

/// <summary>
/// A backend that forwards every entry to <paramref name="inner"/> and counts the calls per entry, so a test can
/// tell which operations a pass really ran (e.g. that a training step runs no backward-data conv for its first
/// layer), not just that the results agree.
/// </summary>
public sealed partial class CountingBackend(IBackend inner) : IBackend
{
    private readonly ConcurrentDictionary<string, int> _calls = new();

    /// <summary>A context on a counting wrapper around <paramref name="inner"/>.</summary>
    public static Backends.ExecutionContext Around(IBackend inner) => new(new CountingBackend(inner));

    /// <summary>How often the entry named <paramref name="entry"/> (e.g. <c>nameof(IBackend.ConvBackwardData)</c>) ran.</summary>
    public int Calls(string entry) => _calls.GetValueOrDefault(entry);

    /// <summary>Forgets every count.</summary>
    public void Reset() => _calls.Clear();

    private void Count([CallerMemberName] string entry = "") => _calls.AddOrUpdate(entry, 1, (_, n) => n + 1);

    /// <inheritdoc />
    public string Name => $"counting {inner.Name}";
    /// <inheritdoc />
    public int Threads => inner.Threads;
    /// <inheritdoc />
    public TensorStorage Allocate(int length) => inner.Allocate(length);
    /// <inheritdoc />
    public TensorStorage AllocateUninitialized(int length) => inner.AllocateUninitialized(length);
    /// <inheritdoc />
    public IndexStorage AllocateIndices(int length) => inner.AllocateIndices(length);

    /// <inheritdoc />
    public void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y)
    { Count(); inner.ConvForward(g, x, w, bias, y); }
    /// <inheritdoc />
    public void ConvReLUMaxPoolForward(in ConvGeometry conv, in PoolGeometry pool, TensorStorage x, TensorStorage w, TensorStorage? bias,
        TensorStorage y, IndexStorage argmax)
    { Count(); inner.ConvReLUMaxPoolForward(conv, pool, x, w, bias, y, argmax); }
    /// <inheritdoc />
    public void ConvReLUMaxPoolBackward(in ConvGeometry conv, in PoolGeometry pool, TensorStorage x, TensorStorage w, TensorStorage y,
        IndexStorage argmax, TensorStorage dy, TensorStorage? dx, TensorStorage dw, TensorStorage? dbias)
    {
        Count();
        // The block's input gradient is a backward-data conv, so tests that count those (work skipped for the first
        // layer) count it fused or not.
        if (dx is not null) Count(nameof(IBackend.ConvBackwardData));
        inner.ConvReLUMaxPoolBackward(conv, pool, x, w, y, argmax, dy, dx, dw, dbias);
    }
    /// <inheritdoc />
    public void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx)
    { Count(); inner.ConvBackwardData(g, dy, w, dx); }
    /// <inheritdoc />
    public void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias)
    { Count(); inner.ConvBackwardFilter(g, x, dy, dw, dbias); }
    /// <inheritdoc />
    public void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y) { Count(); inner.Pad(g, mode, x, y); }
    /// <inheritdoc />
    public void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx) { Count(); inner.PadBackward(g, mode, dy, dx); }
    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax) { Count(); inner.PoolForward(g, x, y, argmax); }
    /// <inheritdoc />
    public void MaxPoolInference(in PoolGeometry g, TensorStorage x, TensorStorage y) { Count(); inner.MaxPoolInference(g, x, y); }
    /// <inheritdoc />
    public void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx) { Count(); inner.PoolBackward(g, dy, argmax, dx); }
    /// <inheritdoc />
    public void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c) { Count(); inner.Gemm(g, a, b, c); }
    /// <inheritdoc />
    public void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y) { Count(); inner.Unary(op, alpha, x, y); }
    /// <inheritdoc />
    public void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx)
    { Count(); inner.UnaryBackward(op, alpha, x, y, dy, dx); }
    /// <inheritdoc />
    public void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y)
    { Count(); inner.Binary(op, g, a, b, bPerAxis, y); }
    /// <inheritdoc />
    public void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y) { Count(); inner.Reduce(op, g, x, keepAxis, y); }
    /// <inheritdoc />
    public void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y) { Count(); inner.Softmax(g, log, x, y); }
    /// <inheritdoc />
    public void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx)
    { Count(); inner.SoftmaxBackward(g, log, y, dy, dx); }
    /// <inheritdoc />
    public void BatchNormStatistics(in AxisGeometry g, TensorStorage x, TensorStorage mean, TensorStorage variance)
    { Count(); inner.BatchNormStatistics(g, x, mean, variance); }
    /// <inheritdoc />
    public void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y)
    { Count(); inner.BatchNormForward(g, eps, x, mean, variance, gamma, beta, y); }
    /// <inheritdoc />
    public void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    { Count(); inner.BatchNormBackward(g, eps, training, x, mean, variance, gamma, dy, dx, dgamma, dbeta); }
    /// <inheritdoc />
    public void BatchNormReLUForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y)
    { Count(); inner.BatchNormReLUForward(g, eps, x, mean, variance, gamma, beta, y); }
    /// <inheritdoc />
    public void BatchNormReLUBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage y, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    { Count(); inner.BatchNormReLUBackward(g, eps, training, x, mean, variance, gamma, y, dy, dx, dgamma, dbeta); }
    /// <inheritdoc />
    public void Copy(in CopyGeometry g, TensorStorage src, TensorStorage dst) { Count(); inner.Copy(g, src, dst); }
    /// <inheritdoc />
    public void SgdUpdate(in SgdStep s, TensorStorage p, TensorStorage g, TensorStorage? buffer, TensorStorage next, TensorStorage? nextBuffer)
    { Count(); inner.SgdUpdate(s, p, g, buffer, next, nextBuffer); }
    /// <inheritdoc />
    public void AdamUpdate(in AdamStep s, TensorStorage p, TensorStorage g, TensorStorage m, TensorStorage v,
        TensorStorage next, TensorStorage nextM, TensorStorage nextV)
    { Count(); inner.AdamUpdate(s, p, g, m, v, next, nextM, nextV); }
    /// <inheritdoc />
    public void SquaresAndFlags(IReadOnlyList<TensorStorage> tensors, TensorStorage result) { Count(); inner.SquaresAndFlags(tensors, result); }
    /// <inheritdoc />
    public void ClipScale(double maxNorm, TensorStorage squaresAndFlags, TensorStorage scale) { Count(); inner.ClipScale(maxNorm, squaresAndFlags, scale); }
    /// <inheritdoc />
    public TensorStorage Import(TensorStorage source) { Count(); return inner.Import(source); }
    /// <inheritdoc />
    public void ArgMaxHits(int rows, int classes, TensorStorage scores, TensorStorage labels, TensorStorage hits)
    { Count(); inner.ArgMaxHits(rows, classes, scores, labels, hits); }
}
