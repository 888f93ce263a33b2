namespace Functional.Backends;

/// <summary>
/// The backend seam: whole operations on contiguous buffers described by explicit geometry. It never sees a
/// Tensor, a layer or a delegate, so a device backend is one assembly implementing this interface over its own
/// <see cref="TensorStorage"/> subclass. Outputs are freshly allocated buffers that the operation then wraps
/// in an immutable Tensor; a kernel writes only to its output arguments, and overwrites them completely.
/// Every backend is tested against <see cref="Reference.ReferenceBackend"/>.
/// </summary>
public partial interface IBackend
{
    /// <summary>A short name for logs and benchmark tables.</summary>
    string Name { get; }

    /// <summary>Worker threads this backend instance uses (1 for single-threaded backends).</summary>
    int Threads { get; }

    /// <summary>A zero-filled buffer of <paramref name="length"/> floats that this backend's kernels can use.</summary>
    TensorStorage Allocate(int length);

    /// <summary>
    /// A buffer of <paramref name="length"/> floats whose contents are unspecified, for the output of a kernel that
    /// overwrites it completely: clearing a large buffer first is a whole pass over memory for nothing. Backends
    /// that cannot skip the clearing return <see cref="Allocate"/>'s zeros.
    /// </summary>
    TensorStorage AllocateUninitialized(int length) => Allocate(length);

    /// <summary>An index buffer (max-pool argmax) of <paramref name="length"/> entries.</summary>
    IndexStorage AllocateIndices(int length);

    /// <summary>y = x ⋆ w (+ bias per output channel): grouped, strided, dilated cross-correlation. Like every conv
    /// entry it writes each element of its outputs, which may therefore come from <see cref="AllocateUninitialized"/>.</summary>
    void ConvForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y);

    /// <summary>dx = full correlation of dy (dilated by the stride) with the flipped kernel: the input gradient.</summary>
    void ConvBackwardData(in ConvGeometry g, TensorStorage dy, TensorStorage w, TensorStorage dx);

    /// <summary>dw = correlation of x with dy (dilated by the stride); dbias = Σ dy per channel when given.</summary>
    void ConvBackwardFilter(in ConvGeometry g, TensorStorage x, TensorStorage dy, TensorStorage dw, TensorStorage? dbias);

    /// <summary>Copies each plane into a larger one, filling the border by <paramref name="mode"/> (not Zeros-only).</summary>
    void Pad(in PadGeometry g, PaddingMode mode, TensorStorage x, TensorStorage y);

    /// <summary>The adjoint of <see cref="Pad"/>: each padded element's gradient flows back to the input element it copied.</summary>
    void PadBackward(in PadGeometry g, PaddingMode mode, TensorStorage dy, TensorStorage dx);

    /// <summary>Pooling forward; for <see cref="PoolKind.Max"/> also the flat in-plane argmax of every output.</summary>
    void PoolForward(in PoolGeometry g, TensorStorage x, TensorStorage y, IndexStorage? argmax);

    /// <summary>
    /// Max pooling's output alone, for inference: the same values as <see cref="PoolForward"/> without the argmax
    /// that only a backward reads. Backends that cannot skip it compute it into a buffer they drop.
    /// </summary>
    void MaxPoolInference(in PoolGeometry g, TensorStorage x, TensorStorage y) => PoolForward(g, x, y, AllocateIndices(y.Length));

    /// <summary>Pooling backward: max routes dy to its argmax, average spreads dy/n over the window.</summary>
    void PoolBackward(in PoolGeometry g, TensorStorage dy, IndexStorage? argmax, TensorStorage dx);

    /// <summary>C = α·op(A)·op(B) + β·C over a batch of matrices.</summary>
    void Gemm(in GemmGeometry g, TensorStorage a, TensorStorage b, TensorStorage c);

    /// <summary>y = f(x) element-wise; <paramref name="alpha"/> parameterises LeakyReLU, Scale and AddScalar.</summary>
    void Unary(UnaryOp op, float alpha, TensorStorage x, TensorStorage y);

    /// <summary>dx = f′ · dy, with f′ computed from x or from y = f(x), whichever the function needs.</summary>
    void UnaryBackward(UnaryOp op, float alpha, TensorStorage x, TensorStorage y, TensorStorage dy, TensorStorage dx);

    /// <summary>y = a ∘ b. If <paramref name="bPerAxis"/>, b has g.Axis elements broadcast over Outer and Inner.</summary>
    void Binary(BinaryOp op, in AxisGeometry g, TensorStorage a, TensorStorage b, bool bPerAxis, TensorStorage y);

    /// <summary>
    /// Reduces x (Outer × Axis × Inner). If <paramref name="keepAxis"/>, y has g.Axis elements reduced over Outer and
    /// Inner (per-channel statistics); otherwise y is Outer × Inner, reduced along Axis.
    /// </summary>
    void Reduce(ReduceOp op, in AxisGeometry g, TensorStorage x, bool keepAxis, TensorStorage y);

    /// <summary>Softmax (or log-softmax) along Axis, stabilised by subtracting the maximum.</summary>
    void Softmax(in AxisGeometry g, bool log, TensorStorage x, TensorStorage y);

    /// <summary>The softmax (or log-softmax) backward from its output y and upstream dy.</summary>
    void SoftmaxBackward(in AxisGeometry g, bool log, TensorStorage y, TensorStorage dy, TensorStorage dx);

    /// <summary>
    /// Batch statistics per channel (the Axis of <paramref name="g"/>): mean[a] and the biased variance[a] of
    /// x[o, a, i] over o and i, the variance from deviations about the mean (two passes, not E[x²] − μ²).
    /// </summary>
    void BatchNormStatistics(in AxisGeometry g, TensorStorage x, TensorStorage mean, TensorStorage variance);

    /// <summary>y = (x − mean[a])·γ[a]/√(variance[a] + eps) + β[a]: batch norm in one pass, in either mode.</summary>
    void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y);

    /// <summary>
    /// Batch norm's backward from its input x and the mean and variance it normalised with: dβ = Σ dy,
    /// dγ = Σ dy·x̂ per channel, and dx; with <paramref name="training"/> dx also flows through the batch
    /// statistics. See <see cref="Reference.BatchNormKernels"/> for the formulas.
    /// </summary>
    void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta);

    /// <summary>
    /// y = ReLU(batch norm of x): <see cref="BatchNormForward"/> and the ReLU that usually follows it, in one pass
    /// over the activations and with no intermediate tensor. Same bits as the two entries one after the other, NaN
    /// included (ReLU propagates it).
    /// </summary>
    void BatchNormReLUForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y)
    {
        var z = AllocateUninitialized(g.Length);
        BatchNormForward(g, eps, x, mean, variance, gamma, beta, z);
        Unary(UnaryOp.ReLU, 0f, z, y);
    }

    /// <summary>
    /// The backward of ReLU(batch norm of x) from the block's output y: dy is stopped where y ≤ 0 (exactly where the
    /// batch norm's output was) and passed elsewhere, NaN included, then flows as in <see cref="BatchNormBackward"/>.
    /// Same bits as <see cref="UnaryBackward"/> for ReLU followed by <see cref="BatchNormBackward"/>.
    /// </summary>
    void BatchNormReLUBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage y, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    {
        var masked = AllocateUninitialized(g.Length);
        UnaryBackward(UnaryOp.ReLU, 0f, y, y, dy, masked);
        BatchNormBackward(g, eps, training, x, mean, variance, gamma, masked, dx, dgamma, dbeta);
    }

    /// <summary>Strided block copy (concatenation, slicing, batch assembly).</summary>
    void Copy(in CopyGeometry g, TensorStorage src, TensorStorage dst);

    /// <summary>
    /// One SGD step of one parameter tensor (see <see cref="Reference.OptimizerKernels.Sgd"/>): next ← p − lr·direction,
    /// and the new momentum buffer when <paramref name="nextBuffer"/> is given. <paramref name="buffer"/> is null on
    /// the first step, when the buffer starts as the gradient.
    /// </summary>
    void SgdUpdate(in SgdStep s, TensorStorage p, TensorStorage g, TensorStorage? buffer, TensorStorage next, TensorStorage? nextBuffer);

    /// <summary>One Adam or AdamW step of one parameter tensor and its two moments (see <see cref="Reference.OptimizerKernels.Adam"/>).</summary>
    void AdamUpdate(in AdamStep s, TensorStorage p, TensorStorage g, TensorStorage m, TensorStorage v,
        TensorStorage next, TensorStorage nextM, TensorStorage nextV);

    /// <summary>
    /// For each tensor i: result[2i] = Σ x² (accumulated in double) and result[2i + 1] = 1 if it holds a NaN or an
    /// infinity, else 0. A training step's norm and non-finite checks in one small buffer, without copying the tensors.
    /// </summary>
    void SquaresAndFlags(IReadOnlyList<TensorStorage> tensors, TensorStorage result);

    /// <summary>
    /// scale[0] = the gradient-clipping factor for <paramref name="maxNorm"/> from a <see cref="SquaresAndFlags"/>
    /// result: maxNorm/(‖g‖ + 10⁻⁶) when below 1, else 1; so clipping never needs the norm on the host.
    /// </summary>
    void ClipScale(double maxNorm, TensorStorage squaresAndFlags, TensorStorage scale);

    /// <summary>
    /// hits[r] = 1 where the first maximum of row r of the rows × classes <paramref name="scores"/> is at the class
    /// index held (as a float) in labels[r], else 0: a batch's correct predictions, counted without reading the
    /// scores on the host (Σ hits² comes back with the step's <see cref="SquaresAndFlags"/>).
    /// </summary>
    void ArgMaxHits(int rows, int classes, TensorStorage scores, TensorStorage labels, TensorStorage hits);

    /// <summary>
    /// <paramref name="source"/> as storage this backend's kernels read: itself when it already is, else a copy
    /// (made once: a device backend caches the upload with the host storage). Host backends read any host storage.
    /// </summary>
    TensorStorage Import(TensorStorage source) =>
        source is HostStorage || source.Owner is null ? source : new HostStorage(source.ToHost().ToArray());
}
