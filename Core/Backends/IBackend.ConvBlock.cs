namespace Functional.Backends;

public partial interface IBackend
{
    /// <summary>
    /// y = ReLU(x ⋆ w + b): a conv forward with the ReLU after it, as the inference plan runs a conv that a ReLU
    /// follows. Same bits as <see cref="ConvForward"/> then <see cref="Unary"/> ReLU in place, which is what this
    /// default does; a backend overrides it to apply the ReLU inside the conv's kernels as they store the output.
    /// </summary>
    void ConvReLUForward(in ConvGeometry g, TensorStorage x, TensorStorage w, TensorStorage? bias, TensorStorage y)
    {
        ConvForward(g, x, w, bias, y);
        Unary(UnaryOp.ReLU, 0f, y, y);
    }

    /// <summary>
    /// y = max pooling of ReLU(conv(x) + bias), with the pooling's argmax: the conv, ReLU, max-pool block of a
    /// LeNet-style network as one entry, so that the conv's full-size output is kernel scratch rather than a tensor.
    /// Same bits (y and argmax) as <see cref="ConvForward"/>, <see cref="Unary"/> ReLU and <see cref="PoolForward"/>
    /// one after the other. <paramref name="x"/> is the input as the conv reads it (explicitly padded when the
    /// padding mode is not zeros); <paramref name="pool"/> takes the conv's output as its input.
    /// </summary>
    void ConvReLUMaxPoolForward(in ConvGeometry conv, in PoolGeometry pool, TensorStorage x, TensorStorage w, TensorStorage? bias,
        TensorStorage y, IndexStorage argmax)
    {
        var z = AllocateUninitialized(conv.OutputLength);
        ConvForward(conv, x, w, bias, z);
        Unary(UnaryOp.ReLU, 0f, z, z);
        PoolForward(pool, z, y, argmax);
    }

    /// <summary>
    /// The backward of <see cref="ConvReLUMaxPoolForward"/> from its pooled output y and argmax: dy is stopped where
    /// y ≤ 0 (the ReLU's output at each window's maximum, so exactly where the ReLU stopped it) and passed elsewhere,
    /// NaN included, then scattered to the conv's output positions, from which the conv's input gradient (into
    /// <paramref name="dx"/>, skipped when null) and filter and bias gradients follow. Same bits as
    /// <see cref="PoolBackward"/>, <see cref="UnaryBackward"/> ReLU, <see cref="ConvBackwardData"/> and
    /// <see cref="ConvBackwardFilter"/> one after the other: the scatter adds each window's dy into a cleared buffer,
    /// and a position is stopped for all the windows it wins or for none.
    /// </summary>
    void ConvReLUMaxPoolBackward(in ConvGeometry conv, in PoolGeometry pool, TensorStorage x, TensorStorage w, TensorStorage y,
        IndexStorage argmax, TensorStorage dy, TensorStorage? dx, TensorStorage dw, TensorStorage? dbias)
    {
        var masked = AllocateUninitialized(dy.Length);
        UnaryBackward(UnaryOp.ReLU, 0f, y, y, dy, masked);
        var dz = AllocateUninitialized(conv.OutputLength);
        PoolBackward(pool, masked, argmax, dz);
        if (dx is not null) ConvBackwardData(conv, dz, w, dx);
        ConvBackwardFilter(conv, x, dz, dw, dbias);
    }
}
