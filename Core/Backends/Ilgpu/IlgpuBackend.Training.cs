namespace Functional.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc />
    public void BatchNormStatistics(in AxisGeometry g, TensorStorage x, TensorStorage mean, TensorStorage variance)
    {
        SeamChecks.BatchNorm(g, "ilgpu BatchNormStatistics", [("x", x.Length)], [("mean", mean.Length), ("variance", variance.Length)]);
        BatchNormKernels.Statistics(Accelerator, g, In(x), Out(mean), Out(variance));
    }

    /// <inheritdoc />
    public void BatchNormForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y)
    {
        SeamChecks.BatchNorm(g, "ilgpu BatchNormForward", [("x", x.Length), ("y", y.Length)],
            [("mean", mean.Length), ("variance", variance.Length), ("gamma", gamma.Length), ("beta", beta.Length)]);
        BatchNormKernels.Forward(Accelerator, g, eps, Inputs(x, mean, variance, gamma, beta), Out(y), relu: false);
    }

    /// <inheritdoc />
    public void BatchNormReLUForward(in AxisGeometry g, float eps, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage beta, TensorStorage y)
    {
        SeamChecks.BatchNorm(g, "ilgpu BatchNormReLUForward", [("x", x.Length), ("y", y.Length)],
            [("mean", mean.Length), ("variance", variance.Length), ("gamma", gamma.Length), ("beta", beta.Length)]);
        BatchNormKernels.Forward(Accelerator, g, eps, Inputs(x, mean, variance, gamma, beta), Out(y), relu: true);
    }

    /// <inheritdoc />
    public void BatchNormBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    {
        SeamChecks.BatchNorm(g, "ilgpu BatchNormBackward", [("x", x.Length), ("dy", dy.Length), ("dx", dx.Length)],
            [("mean", mean.Length), ("variance", variance.Length), ("gamma", gamma.Length), ("dgamma", dgamma.Length), ("dbeta", dbeta.Length)]);
        BatchNormKernels.Backward(Accelerator, g, eps, training, Inputs(x, mean, variance, gamma, null),
            new BatchNormKernels.Gradients { Dy = In(dy), Dx = Out(dx), DGamma = Out(dgamma), DBeta = Out(dbeta) });
    }

    /// <inheritdoc />
    public void BatchNormReLUBackward(in AxisGeometry g, float eps, bool training, TensorStorage x, TensorStorage mean, TensorStorage variance,
        TensorStorage gamma, TensorStorage y, TensorStorage dy, TensorStorage dx, TensorStorage dgamma, TensorStorage dbeta)
    {
        SeamChecks.BatchNorm(g, "ilgpu BatchNormReLUBackward", [("x", x.Length), ("y", y.Length), ("dy", dy.Length), ("dx", dx.Length)],
            [("mean", mean.Length), ("variance", variance.Length), ("gamma", gamma.Length), ("dgamma", dgamma.Length), ("dbeta", dbeta.Length)]);
        BatchNormKernels.Backward(Accelerator, g, eps, training, Inputs(x, mean, variance, gamma, null),
            new BatchNormKernels.Gradients { Dy = In(dy), Y = In(y), Dx = Out(dx), DGamma = Out(dgamma), DBeta = Out(dbeta) });
    }

    private BatchNormKernels.Inputs Inputs(TensorStorage x, TensorStorage mean, TensorStorage variance, TensorStorage gamma, TensorStorage? beta) =>
        new() { X = In(x), Mean = In(mean), Variance = In(variance), Gamma = In(gamma), Beta = InOrEmpty(beta) };

    /// <inheritdoc />
    public void SgdUpdate(in SgdStep s, TensorStorage p, TensorStorage g, TensorStorage? buffer, TensorStorage next, TensorStorage? nextBuffer)
    {
        Same("ilgpu SgdUpdate", ("p", p.Length), ("g", g.Length), ("buffer", buffer?.Length ?? p.Length), ("next", next.Length), ("nextBuffer", nextBuffer?.Length ?? p.Length));
        OptimizerKernels.Sgd(Accelerator, s, new OptimizerKernels.SgdViews
        {
            P = In(p), G = In(g), Buffer = InOrEmpty(buffer), Next = Out(next), NextBuffer = OutOrEmpty(nextBuffer),
        }, buffer is not null);
    }

    /// <inheritdoc />
    public void AdamUpdate(in AdamStep s, TensorStorage p, TensorStorage g, TensorStorage m, TensorStorage v,
        TensorStorage next, TensorStorage nextM, TensorStorage nextV)
    {
        Same("ilgpu AdamUpdate", ("p", p.Length), ("g", g.Length), ("m", m.Length), ("v", v.Length), ("next", next.Length), ("nextM", nextM.Length), ("nextV", nextV.Length));
        OptimizerKernels.Adam(Accelerator, s, new OptimizerKernels.AdamViews
        {
            P = In(p), G = In(g), M = In(m), V = In(v), Next = Out(next), NextM = Out(nextM), NextV = Out(nextV),
        });
    }

    /// <inheritdoc />
    public void SquaresAndFlags(IReadOnlyList<TensorStorage> tensors, TensorStorage result)
    {
        var r = Out(result);
        for (var i = 0; i < tensors.Count; i++) OptimizerKernels.SquaresAndFlag(Accelerator, In(tensors[i]), r.SubView(2 * i, 2));
    }

    /// <inheritdoc />
    public void ClipScale(double maxNorm, TensorStorage squaresAndFlags, TensorStorage scale) =>
        OptimizerKernels.ClipScale(Accelerator, In(squaresAndFlags), Out(scale), maxNorm);

    /// <inheritdoc />
    public void ArgMaxHits(int rows, int classes, TensorStorage scores, TensorStorage labels, TensorStorage hits)
    {
        HitsLengths(rows, classes, scores.Length, labels.Length, hits.Length);
        OptimizerKernels.ArgMaxHits(Accelerator, classes, In(scores), In(labels), Out(hits));
    }

    // The optimizer entries have no geometry: each buffer holds one value per parameter element.
    private static void Same(string entry, params ReadOnlySpan<(string Name, int Length)> buffers)
    {
        foreach (var (name, length) in buffers)
            if (length != buffers[0].Length)
                throw new GeometryException($"{entry}: {buffers[0].Name} holds {buffers[0].Length} elements and {name} {length}; an update needs equal lengths.");
    }

    private static void HitsLengths(int rows, int classes, int scores, int labels, int hits)
    {
        if (rows < 0 || classes < 1 || (long)rows * classes != scores || labels != rows || hits != rows)
            throw new GeometryException($"ilgpu ArgMaxHits: {rows} rows × {classes} classes need scores of {(long)rows * classes} " +
                $"and labels and hits of {rows} elements; they hold {scores}, {labels} and {hits}.");
    }
}
