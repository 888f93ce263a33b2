namespace Functional.Backends;

/// <summary>
/// The entries behind the tensor functions (<c>Functional.Functions.Fn</c>) and the modern layers: element-wise
/// families with their derivatives, a strided gather (broadcast, permute, slice, nearest upsampling), a select and
/// a comparison. With the older entries (Binary, Reduce, Gemm, Copy) they express every op of the function set
/// and every pullback, so a backend that implements them runs custom layers and losses as it runs built-in ones.
/// </summary>
public partial interface IBackend
{
    /// <summary>y = f(x) for a <see cref="PointOp"/> with parameters <paramref name="a"/> and <paramref name="b"/>.</summary>
    void Pointwise(PointOp op, float a, float b, TensorStorage x, TensorStorage y);

    /// <summary>dx = f′(x)·dy for a <see cref="PointOp"/>.</summary>
    void PointwiseBackward(PointOp op, float a, float b, TensorStorage x, TensorStorage dy, TensorStorage dx);

    /// <summary>dst = the strided view of src that <paramref name="g"/> describes, made contiguous.</summary>
    void Gather(in GatherGeometry g, TensorStorage src, TensorStorage dst);

    /// <summary>y = cond ≠ 0 ? a : b element-wise (all four of one length). A NaN condition counts as true, as it is not 0.</summary>
    void Where(TensorStorage cond, TensorStorage a, TensorStorage b, TensorStorage y);

    /// <summary>y = 1 where a <paramref name="op"/> b holds, else 0 (equal lengths).</summary>
    void Compare(CompareOp op, TensorStorage a, TensorStorage b, TensorStorage y);
}
