using Functional.Backends.Reference;

namespace Functional.Backends.Cpu;

public sealed partial class CpuBackend
{
    // The updates are one streaming pass each, bound by memory; the Reference loops are what PyTorch computes, so the
    // Cpu backend runs them too (plain SGD, the common case, with eight lanes and the same two roundings).

    /// <inheritdoc />
    public void SgdUpdate(in SgdStep s, TensorStorage p, TensorStorage g, TensorStorage? buffer, TensorStorage next, TensorStorage? nextBuffer)
    {
        if (nextBuffer is null && s.WeightDecay == 0f) VectorKernels.Descend(Host(p), Host(g), s.LearningRate, Host(next));
        else OptimizerKernels.Sgd(s, Host(p), Host(g), buffer is null ? [] : Host(buffer), buffer is not null, Host(next),
            nextBuffer is null ? [] : Host(nextBuffer));
    }

    /// <inheritdoc />
    public void AdamUpdate(in AdamStep s, TensorStorage p, TensorStorage g, TensorStorage m, TensorStorage v,
        TensorStorage next, TensorStorage nextM, TensorStorage nextV) =>
        OptimizerKernels.Adam(s, Host(p), Host(g), Host(m), Host(v), Host(next), Host(nextM), Host(nextV));

    /// <inheritdoc />
    public void SquaresAndFlags(IReadOnlyList<TensorStorage> tensors, TensorStorage result)
    {
        var r = Host(result);
        for (var i = 0; i < tensors.Count; i++) (r[2 * i], r[2 * i + 1]) = OptimizerKernels.SquaresAndFlag(Host(tensors[i]));
    }

    /// <inheritdoc />
    public void ClipScale(double maxNorm, TensorStorage squaresAndFlags, TensorStorage scale) =>
        Host(scale)[0] = OptimizerKernels.ClipScale(maxNorm, Host(squaresAndFlags));

    /// <inheritdoc />
    public void ArgMaxHits(int rows, int classes, TensorStorage scores, TensorStorage labels, TensorStorage hits) =>
        OptimizerKernels.ArgMaxHits(rows, classes, Host(scores), Host(labels), Host(hits));
}
