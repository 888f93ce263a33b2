namespace Functional.Laws;

/// <summary>
/// Index arithmetic on row-major tensors, written out independently of the kernels so that laws can rearrange
/// data (dilate, crop, flip, shift, swap axes) without trusting the code under test.
/// </summary>
public static class Grid
{
    /// <summary>Every multi-index of <paramref name="shape"/> in row-major order (one array, reused: copy to keep).</summary>
    public static IEnumerable<int[]> Indices(Shape shape)
    {
        var idx = new int[shape.Rank];
        for (var flat = 0; flat < shape.Count; flat++)
        {
            yield return idx;
            for (var a = shape.Rank - 1; a >= 0; a--)
            {
                if (++idx[a] < shape[a]) break;
                idx[a] = 0;
            }
        }
    }

    /// <summary>The flat offset of <paramref name="idx"/>, or −1 when it lies outside <paramref name="shape"/>.</summary>
    public static int Flat(Shape shape, ReadOnlySpan<int> idx)
    {
        var flat = 0;
        for (var a = 0; a < shape.Rank; a++)
        {
            if ((uint)idx[a] >= (uint)shape[a]) return -1;
            flat = flat * shape[a] + idx[a];
        }
        return flat;
    }

    /// <summary>
    /// y[target(idx)] = x[idx] for every index of x (targets outside <paramref name="to"/> are dropped; the rest of y is 0).
    /// </summary>
    public static Tensor Move(Tensor x, Shape to, Func<int[], int[]> target)
    {
        var src = x.Span;
        var dst = new float[to.Count];
        var flat = 0;
        foreach (var idx in Indices(x.Shape))
        {
            var t = Flat(to, target(idx));
            if (t >= 0) dst[t] = src[flat];
            flat++;
        }
        return Tensor.FromArray(to, dst);
    }

    /// <summary>Inserts s−1 zeros between neighbours along every spatial dim (dims from 2 on): y[o·s] = x[o].</summary>
    public static Tensor Dilate(Tensor x, int[] stride)
    {
        var dims = x.Shape.Dims.ToArray();
        for (var i = 0; i < stride.Length; i++) dims[2 + i] = (dims[2 + i] - 1) * stride[i] + 1;
        return Move(x, Shape.Of(dims), idx => Map(idx, (i, v) => i < 2 ? v : v * stride[i - 2]));
    }

    /// <summary>Reverses every spatial dim (dims from 2 on).</summary>
    public static Tensor Flip(Tensor w) => Move(w, w.Shape, idx => Map(idx, (i, v) => i < 2 ? v : w.Shape[i] - 1 - v));

    /// <summary>Cyclic shift by <paramref name="shift"/> along the spatial dims: y[i + shift mod n] = x[i].</summary>
    public static Tensor Roll(Tensor x, int[] shift) =>
        Move(x, x.Shape, idx => Map(idx, (i, v) => i < 2 ? v : ((v + shift[i - 2]) % x.Shape[i] + x.Shape[i]) % x.Shape[i]));

    /// <summary>The elementwise image of an index under <paramref name="f"/>(axis, value).</summary>
    public static int[] Map(int[] idx, Func<int, int, int> f)
    {
        var r = new int[idx.Length];
        for (var i = 0; i < idx.Length; i++) r[i] = f(i, idx[i]);
        return r;
    }
}
