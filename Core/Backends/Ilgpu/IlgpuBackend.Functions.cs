namespace Functional.Backends.Ilgpu;

public sealed partial class IlgpuBackend
{
    /// <inheritdoc />
    public void Pointwise(PointOp op, float a, float b, TensorStorage x, TensorStorage y)
    {
        FunctionSeamChecks.SameLengths("ilgpu Pointwise", x.Length, y.Length);
        FunctionKernels.Forward(Accelerator, op, a, b, In(x), Out(y));
    }

    /// <inheritdoc />
    public void PointwiseBackward(PointOp op, float a, float b, TensorStorage x, TensorStorage dy, TensorStorage dx)
    {
        FunctionSeamChecks.SameLengths("ilgpu PointwiseBackward", x.Length, dy.Length, dx.Length);
        FunctionKernels.Backward(Accelerator, op, a, b, In(x), In(dy), Out(dx));
    }

    /// <inheritdoc />
    public void Gather(in GatherGeometry g, TensorStorage src, TensorStorage dst)
    {
        FunctionSeamChecks.Gather(g, src.Length, dst.Length, "ilgpu Gather");
        FunctionKernels.Gather(Accelerator, g, In(src), Out(dst));
    }

    /// <inheritdoc />
    public void Where(TensorStorage cond, TensorStorage a, TensorStorage b, TensorStorage y)
    {
        FunctionSeamChecks.SameLengths("ilgpu Where", cond.Length, a.Length, b.Length, y.Length);
        FunctionKernels.Where(Accelerator, In(cond), In(a), In(b), Out(y));
    }

    /// <inheritdoc />
    public void Compare(CompareOp op, TensorStorage a, TensorStorage b, TensorStorage y)
    {
        FunctionSeamChecks.SameLengths("ilgpu Compare", a.Length, b.Length, y.Length);
        FunctionKernels.Compare(Accelerator, op, In(a), In(b), Out(y));
    }
}
