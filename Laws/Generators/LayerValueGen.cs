using FsCheck;
using FsCheck.Fluent;
using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.Laws.Generators;

/// <summary>
/// Layer values with arbitrary hyper-parameters, nested in every combinator: for laws about the value itself (its
/// description), which need no input that fits. Every primitive of the DSL appears, with every option: conv 1/2/3-d
/// with per-dim kernel, stride and dilation, each padding kind and mode, groups and bias; transposed conv with output
/// padding; depthwise, pointwise, separable, locally connected; max and average pooling with every option; adaptive
/// and global pooling; dense; every activation; flatten; batch norm; dropout; identity; channel selection and affine.
/// </summary>
public static class LayerValueGen
{
    private static Gen<PerDim> Dims => Gen.OneOf(
        Gen.Choose(1, 5).Select(v => (PerDim)v),
        from n in Gen.Choose(1, 3) from vs in Gen.ArrayOf(Gen.Choose(1, 5), n) select PerDim.Of(vs));

    private static Gen<Padding> Paddings => Gen.OneOf(
        Gen.Choose(0, 3).Select(p => (Padding)p),
        from n in Gen.Choose(2, 3) from vs in Gen.ArrayOf(Gen.Choose(0, 3), n) select Padding.Of(vs),
        Gen.Elements(Padding.Same, Padding.Valid, Padding.Full));

    private static Gen<float> Floats => Gen.Choose(1, 999).Select(v => v / 1000f);

    /// <summary>One primitive layer.</summary>
    public static Gen<Layer> Primitives => Gen.OneOf(
        from f in Gen.Choose(1, 8) from k in Dims from s in Dims from p in Paddings from d in Dims from g in Gen.Choose(1, 4)
        from b in Gen.Elements(true, false) from m in Gen.Elements(Enum.GetValues<PaddingMode>()) from rank in Gen.Elements(0, 1, 2, 3)
        select rank switch
        {
            1 => Conv1d(f, k, s, p, d, g, b, m),
            2 => Conv2d(f, k, s, p, d, g, b, m),
            3 => Conv3d(f, k, s, p, d, g, b, m),
            _ => Conv(f, k, s, p, d, g, b, m),
        },
        from f in Gen.Choose(1, 8) from k in Dims from s in Dims from p in Dims from o in Dims from d in Dims from g in Gen.Choose(1, 3)
        from b in Gen.Elements(true, false)
        select ConvTranspose(f, k, s, p, o, d, g, b),
        from k in Dims from s in Dims from p in Paddings from d in Dims from mult in Gen.Choose(1, 3) from b in Gen.Elements(true, false)
        from m in Gen.Elements(Enum.GetValues<PaddingMode>())
        select DepthwiseConv(k, s, p, d, mult, b, m),
        from f in Gen.Choose(1, 8) from b in Gen.Elements(true, false) select Pointwise(f, b),
        from f in Gen.Choose(1, 8) from k in Dims from s in Dims from p in Paddings from d in Dims from b in Gen.Elements(true, false)
        select SeparableConv(f, k, s, p, d, b),
        from f in Gen.Choose(1, 8) from k in Dims from s in Dims from p in Dims from d in Dims from b in Gen.Elements(true, false)
        select LocallyConnected(f, k, s, p, d, b),
        from max in Gen.Elements(true, false) from k in Dims from s in Gen.OneOf(Gen.Constant(default(PerDim)), Dims)
        from p in Gen.OneOf(Gen.Constant(default(PerDim)), Dims) from d in Gen.OneOf(Gen.Constant(default(PerDim)), Dims)
        from ceil in Gen.Elements(true, false) from count in Gen.Elements(true, false)
        select max ? MaxPool(k, s, p, d, ceil) : AvgPool(k, s, p, ceil, count),
        from h in Gen.Choose(1, 7) from w in Gen.Choose(1, 7) from square in Gen.Elements(true, false)
        select square ? AdaptiveAvgPool(h) : AdaptiveAvgPool(h, w),
        from u in Gen.Choose(1, 300) from b in Gen.Elements(true, false) select Dense(u, b),
        Floats.Select(s => LeakyReLU(s)),
        Floats.Select(p => Dropout(p)),
        from m in Floats from e in Floats select BatchNormWith(m, e / 1000),
        from n in Gen.Choose(1, 4) from cs in Gen.ArrayOf(Gen.Choose(0, 15), n) select Channels([.. cs.Distinct()]),
        Gen.Elements(ReLU, Sigmoid, Tanh, Softmax, LogSoftmax, Flatten, Identity, GlobalAvgPool, BatchNorm, ChannelAffine));

    /// <summary>A layer up to <paramref name="depth"/> combinators deep: chains, residuals (identity, explicit
    /// shortcut, with and without a layer after the sum), concatenations and names.</summary>
    public static Gen<Layer> Any(int depth) => depth == 0 ? Primitives : Gen.Frequency(
        (3, Primitives),
        (2, from n in Gen.Choose(2, 4) from ls in Gen.ArrayOf(Any(depth - 1), n) select Sequential(ls)),
        (1, from block in Any(depth - 1) from shortcut in Gen.OneOf(Gen.Constant<Layer?>(null), Any(depth - 1).Select(l => (Layer?)l))
            from after in Gen.OneOf(Gen.Constant<Layer?>(null), Primitives.Select(l => (Layer?)l))
            select Residual(block, shortcut, after)),
        (1, from n in Gen.Choose(1, 3) from bs in Gen.ArrayOf(Any(depth - 1), n) select Concat(bs)),
        (1, from name in Gen.Elements("features", "fc1", "block_2", "head") from l in Any(depth - 1) select Named(name, l)));
}
