using Functional.Backends;

namespace Functional.Distributed;

/// <summary>
/// A backend whose batch norm normalises with the statistics of the global batch, the union of every rank's local
/// batch, as PyTorch's <c>SyncBatchNorm</c>: the forward allreduces per-channel sums (then the squared deviations
/// about the global mean), and the training-mode backward allreduces Σ dy and Σ dy·(x − μ), so that dx is what a
/// single process would compute on the global batch. dγ and dβ stay local sums and are averaged with the other
/// gradients. Every other operation goes straight to the wrapped backend.
/// </summary>
/// <remarks>The statistics are reduced on the host, so the wrapped backend must keep its storage there (Cpu or
/// Reference). Batch norm's running variance uses the local count in its m/(m − 1) correction, so it differs from
/// a single process's by that factor's ratio; normalisation and gradients do not.</remarks>
public sealed partial class SyncBatchNormBackend : IBackend
{
    private readonly IBackend inner;
    private readonly ICommunicator communicator;

    /// <summary>Wraps <paramref name="inner"/>, reducing batch statistics over <paramref name="communicator"/>.</summary>
    /// <exception cref="ArgumentException">The backend keeps its tensors on a device.</exception>
    public SyncBatchNormBackend(IBackend inner, ICommunicator communicator)
    {
        if (inner.Allocate(1) is not HostStorage)
            throw new ArgumentException($"SyncBatchNormBackend: the {inner.Name} backend keeps its tensors on a device; synchronised batch norm reduces its statistics on the host and runs on the cpu or reference backend.", nameof(inner));
        this.inner = inner;
        this.communicator = communicator;
    }

    /// <inheritdoc />
    public string Name => $"{inner.Name}+sync-bn";

    /// <inheritdoc />
    public int Threads => inner.Threads;

    /// <summary>Per-channel mean and biased variance over every rank's batch (two passes, as the wrapped backend).</summary>
    public void BatchNormStatistics(in AxisGeometry g, TensorStorage x, TensorStorage mean, TensorStorage variance)
    {
        var xs = x.ToHost().Span;
        var sums = new double[g.Axis + 1];
        for (var o = 0; o < g.Outer; o++)
            for (var a = 0; a < g.Axis; a++)
                for (var i = 0; i < g.Inner; i++) sums[a] += xs[(o * g.Axis + a) * g.Inner + i];
        sums[g.Axis] = (double)g.Outer * g.Inner;
        communicator.AllreduceSum(sums);
        var count = sums[g.Axis];
        var mu = new double[g.Axis];
        for (var a = 0; a < g.Axis; a++) mu[a] = sums[a] / count;
        var squares = new double[g.Axis];
        for (var o = 0; o < g.Outer; o++)
            for (var a = 0; a < g.Axis; a++)
                for (var i = 0; i < g.Inner; i++)
                {
                    var d = xs[(o * g.Axis + a) * g.Inner + i] - mu[a];
                    squares[a] += d * d;
                }
        communicator.AllreduceSum(squares);
        var (m, v) = (Host(mean), Host(variance));
        for (var a = 0; a < g.Axis; a++) (m[a], v[a]) = ((float)mu[a], (float)(squares[a] / count));
    }

    /// <summary>Batch norm's backward; in training mode dx uses Σ dy and Σ dy·(x − μ) over every rank.</summary>
    public void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    {
        if (!training)
        {
            inner.BatchNormBackward(g, eps, training, x, mean, variance, gamma, dy, dx, dgamma, dbeta);
            return;
        }
        ReadOnlySpan<float> xs = x.ToHost().Span, dys = dy.ToHost().Span, mu = mean.ToHost().Span, var = variance.ToHost().Span, gm = gamma.ToHost().Span;
        var local = new double[2 * g.Axis + 1];
        for (var o = 0; o < g.Outer; o++)
            for (var a = 0; a < g.Axis; a++)
                for (var i = 0; i < g.Inner; i++)
                {
                    var k = (o * g.Axis + a) * g.Inner + i;
                    local[a] += dys[k];
                    local[g.Axis + a] += (double)dys[k] * (xs[k] - mu[a]);
                }
        local[2 * g.Axis] = (double)g.Outer * g.Inner;
        var global = (double[])local.Clone();
        communicator.AllreduceSum(global);
        var count = global[2 * g.Axis];
        var (dxs, dgs, dbs) = (Host(dx), Host(dgamma), Host(dbeta));
        for (var a = 0; a < g.Axis; a++)
        {
            var invStd = 1 / Math.Sqrt(var[a] + (double)eps);
            (dbs[a], dgs[a]) = ((float)local[a], (float)(local[g.Axis + a] * invStd));
            // dx = γ/σ·(dy − mean(dy) − (x − μ)·mean(dy·(x − μ))/σ²), the means over the global batch.
            double projection = global[g.Axis + a] * invStd * invStd / count, meanGradient = global[a] / count, scale = invStd * gm[a];
            for (var o = 0; o < g.Outer; o++)
                for (var i = 0; i < g.Inner; i++)
                {
                    var k = (o * g.Axis + a) * g.Inner + i;
                    dxs[k] = (float)((dys[k] - (xs[k] - mu[a]) * projection - meanGradient) * scale);
                }
        }
    }

    /// <summary>The fused ReLU backward: dy masked where the output is not positive, then the synchronised backward.</summary>
    public void BatchNormReLUBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage y, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    {
        var masked = inner.AllocateUninitialized(g.Length);
        inner.UnaryBackward(UnaryOp.ReLU, 0f, y, y, dy, masked);
        BatchNormBackward(g, eps, training, x, mean, variance, gamma, masked, dx, dgamma, dbeta);
    }

    // Outputs are freshly allocated by the wrapped host backend, which the constructor checked.
    private static float[] Host(TensorStorage s) => ((HostStorage)s).Data;

    /// <inheritdoc />
    public TensorStorage Allocate(int length) => inner.Allocate(length);
    /// <inheritdoc />
    public TensorStorage AllocateUninitialized(int length) => inner.AllocateUninitialized(length);
    /// <inheritdoc />
    public IndexStorage AllocateIndices(int length) => inner.AllocateIndices(length);
    /// <inheritdoc />
    public void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y) => inner.ConvForward(g, x, w, bias, y);
    /// <inheritdoc />
    public void ConvReLUForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y) => inner.ConvReLUForward(g, x, w, bias, y);
    /// <inheritdoc />
    public PreparedFilter? PrepareConvFilter(in ConvGeometry g, TensorStorage w) => inner.PrepareConvFilter(g, w);
    /// <inheritdoc />
    public void ConvForwardPrepared(in ConvGeometry g, TensorStorage x, TensorStorage w, PreparedFilter? prepared, TensorStorage? bias,
        TensorStorage y, bool relu) => inner.ConvForwardPrepared(g, x, w, prepared, bias, y, relu);
    /// <inheritdoc />
    public void ConvReLUMaxPoolForward(in ConvGeometry conv, in PoolGeometry pool, TensorStorage x, TensorStorage w, TensorStorage? bias,
        TensorStorage y, IndexStorage argmax) => inner.ConvReLUMaxPoolForward(conv, pool, x, w, bias, y, argmax);
    /// <inheritdoc />
    public void ConvReLUMaxPoolBackward(in ConvGeometry conv, in PoolGeometry pool, TensorStorage x, TensorStorage w, TensorStorage y,
        IndexStorage argmax, TensorStorage dy, TensorStorage? dx, TensorStorage dw, TensorStorage? dbias) =>
        inner.ConvReLUMaxPoolBackward(conv, pool, x, w, y, argmax, dy, dx, dw, dbias);
    /// <inheritdoc />
    public void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx) => inner.ConvBackwardData(g, dy, w, dx);
    /// <inheritdoc />
    public void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias) => inner.ConvBackwardFilter(g, x, dy, dw, dbias);
    /// <inheritdoc />
    public void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y) => inner.Pad(g, mode, x, y);
    /// <inheritdoc />
    public void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx) => inner.PadBackward(g, mode, dy, dx);
    /// <inheritdoc />
    public void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax) => inner.PoolForward(g, x, y, argmax);
    /// <inheritdoc />
    public void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx) => inner.PoolBackward(g, dy, argmax, dx);
    /// <inheritdoc />
    public void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c) => inner.Gemm(g, a, b, c);
    /// <inheritdoc />
    public void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y) => inner.Unary(op, alpha, x, y);
    /// <inheritdoc />
    public void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx) => inner.UnaryBackward(op, alpha, x, y, dy, dx);
    /// <inheritdoc />
    public void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y) => inner.Binary(op, g, a, b, bPerAxis, y);
    /// <inheritdoc />
    public void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y) => inner.Reduce(op, g, x, keepAxis, y);
    /// <inheritdoc />
    public void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y) => inner.Softmax(g, log, x, y);
    /// <inheritdoc />
    public void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx) => inner.SoftmaxBackward(g, log, y, dy, dx);
    /// <inheritdoc />
    public void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance, TensorStorage gamma, TensorStorage beta, TensorStorage y) =>
        inner.BatchNormForward(g, eps, x, mean, variance, gamma, beta, y);
    /// <inheritdoc />
    public void BatchNormReLUForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance, TensorStorage gamma, TensorStorage beta, TensorStorage y) =>
        inner.BatchNormReLUForward(g, eps, x, mean, variance, gamma, beta, y);
    /// <inheritdoc />
    public void Copy(in CopyGeometry g, TensorStorage src, TensorStorage dst) => inner.Copy(g, src, dst);
    /// <inheritdoc />
    public void SgdUpdate(in SgdStep s, TensorStorage p, TensorStorage g, TensorStorage? buffer, TensorStorage next, TensorStorage? nextBuffer) => inner.SgdUpdate(s, p, g, buffer, next, nextBuffer);
    /// <inheritdoc />
    public void AdamUpdate(in AdamStep s, TensorStorage p, TensorStorage g, TensorStorage m, TensorStorage v, TensorStorage next, TensorStorage nextM, TensorStorage nextV) =>
        inner.AdamUpdate(s, p, g, m, v, next, nextM, nextV);
    /// <inheritdoc />
    public void SquaresAndFlags(IReadOnlyList<TensorStorage> tensors, TensorStorage result) => inner.SquaresAndFlags(tensors, result);
    /// <inheritdoc />
    public void ClipScale(double maxNorm, TensorStorage squaresAndFlags, TensorStorage scale) => inner.ClipScale(maxNorm, squaresAndFlags, scale);
    /// <inheritdoc />
    public void ArgMaxHits(int rows, int classes, TensorStorage scores, TensorStorage labels, TensorStorage hits) => inner.ArgMaxHits(rows, classes, scores, labels, hits);
    /// <inheritdoc />
    public TensorStorage Import(TensorStorage source) => inner.Import(source);
}
