using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// Different constructions of the same linear map give the same numbers: a 1×1 conv is a dense layer per pixel; a
/// conv is a dense layer with a shared, mostly zero (Toeplitz) matrix; two stacked convs are one larger conv; a
/// depthwise-separable conv is a standard conv with a rank-one kernel per channel pair; a grouped conv is the
/// concatenation of per-group convs; and <c>Same</c> padding at stride 1 keeps the size.
/// </summary>
public class EquivalenceLaws
{
    private const string Law = "Equivalence";

    // 200 cases per law: each builds its second construction by hand in index loops.
    [Property(MaxTest = 200)]
    [Trait("Law", Law)]
    public Property One_by_one_conv_is_a_dense_layer_applied_at_every_pixel() =>
        Prop.ForAll(ConvGen.Any.Select(PointwiseOf).ToArbitrary(), c =>
        {
            var (x, w, b) = Tensors.Of(c);
            var pixels = c.Input.Aggregate(1, (a, n) => a * n);
            // N×C×P → (N·P)×C, one row per pixel, then back from (N·P)×C_out to N×C_out×P.
            var rows = Grid.Move(x, Shape.Of(c.Batch, pixels, c.InChannels), i => [i[0], Grid.Flat(Shape.Of(c.Input), i[2..]), i[1]]);
            var dense = Dense.Forward(Sample.Float, rows.Reshape(c.Batch * pixels, c.InChannels), w.Reshape(c.OutChannels, c.InChannels), b);
            var back = Grid.Move(dense.Reshape(c.Batch, pixels, c.OutChannels), c.ExpectedOutput, i => [i[0], i[2], .. Unflatten(i[1], c.Input)]);
            Expect.Close("1×1 conv vs dense per pixel", Conv.Forward(Sample.Float, c.Spec, x, w, b), back);
        });

    [Property(MaxTest = 200)]
    [Trait("Law", Law)]
    public Property Conv_is_a_dense_layer_whose_matrix_is_the_unrolled_kernel() =>
        Prop.ForAll(ConvGen.Arb(ConvGen.ZeroPadded), c =>
        {
            var x = Sample.RealTensor(c.InputShape, c.Seed);
            var w = Sample.RealTensor(c.WeightShape, c.Seed + 1);
            var b = c.Bias ? Sample.RealTensor(Shape.Of(c.OutChannels), c.Seed + 2) : null;
            var m = Toeplitz.Matrix(c, Sample.Values(w));
            var (rows, cols) = (c.ExpectedOutput.Count / c.Batch, c.InputShape.Count / c.Batch);
            // Shared weights, mostly zeros: at most C_in/groups·∏k nonzeros per row.
            var perRow = c.WeightShape.Count / c.OutChannels;
            Expect.Equal("nonzeros of the unrolled matrix ≤ rows·C_in/g·∏k", m.Count(v => v != 0) <= rows * perRow, true);
            var xv = Sample.Values(x);
            var expected = new double[c.ExpectedOutput.Count];
            for (var n = 0; n < c.Batch; n++)
                for (var r = 0; r < rows; r++)
                {
                    var sum = b is null ? 0.0 : Sample.Values(b)[r / (rows / c.OutChannels)];
                    for (var k = 0; k < cols; k++) sum += m[r * cols + k] * xv[n * cols + k];
                    expected[n * rows + r] = sum;
                }
            Expect.Close("conv vs Toeplitz matrix × x (double)", Sample.Values(Conv.Forward(Sample.Double, c.Spec, x, w, b)), expected, 1e-12, 1e-12);
        });

    [Property(MaxTest = 200)]
    [Trait("Law", Law)]
    public Property Two_stacked_convs_without_bias_are_one_conv_whose_kernel_is_their_composition() =>
        Prop.ForAll(ConvGen.Any.Select(StackableOf).ToArbitrary(), t =>
        {
            var (g, k2, outer) = t;
            var x = Sample.IntTensor(g.InputShape, g.Seed);
            var gw = Sample.IntTensor(g.WeightShape, g.Seed + 1);
            var fw = Sample.IntTensor(Shape.Of([outer, g.OutChannels, .. k2]), g.Seed + 2);
            var inner = Conv.Forward(Sample.Float, g.Spec, x, gw);
            var stacked = Conv.Forward(Sample.Float, new ConvSpec(g.Rank, outer, k2, bias: false), inner, fw);
            var composed = Compose(fw, gw);
            var one = Conv.Forward(Sample.Float, new ConvSpec(g.Rank, outer, composed.Shape.Dims[2..], bias: false), x, composed);
            Expect.Close("F ⋆ (G ⋆ x) vs (F ⊗ G) ⋆ x", stacked, one);
        });

    [Property(MaxTest = 200)]
    [Trait("Law", Law)]
    public void Depthwise_separable_conv_is_a_standard_conv_with_kernel_P_times_D(ConvCase c)
    {
        var channels = c.InChannels;
        var depthwise = c.Spec with { OutChannels = channels, Groups = channels, Bias = false };
        var x = Sample.IntTensor(c.InputShape, c.Seed);
        var d = Sample.IntTensor(Shape.Of([channels, 1, .. c.Kernel]), c.Seed + 1);
        var p = Sample.IntTensor(Shape.Of([c.OutChannels, channels, .. Enumerable.Repeat(1, c.Rank)]), c.Seed + 2);
        var separable = Conv.Forward(Sample.Float, new ConvSpec(c.Rank, c.OutChannels, [1], bias: false), Conv.Forward(Sample.Float, depthwise, x, d), p);
        var (pv, dv, kp) = (p.ToArray(), d.ToArray(), d.Shape.Count / channels);
        var full = Tensor.FromArray(Shape.Of([c.OutChannels, channels, .. c.Kernel]),
            Enumerable.Range(0, c.OutChannels * channels * kp).Select(i => pv[i / kp] * dv[i / kp % channels * kp + i % kp]).ToArray());
        Expect.Close("pointwise(depthwise(x)) vs conv with W[o,c] = P[o,c]·D[c]", separable,
            Conv.Forward(Sample.Float, c.Spec with { Groups = 1, Bias = false }, x, full));
    }

    [Property(MaxTest = 200)]
    [Trait("Law", Law)]
    public Property Grouped_conv_is_the_concatenation_of_per_group_convs() =>
        Prop.ForAll(ConvGen.Arb(ConvGen.Any.Where(c => c.Groups > 1), c => c.Groups > 1), c =>
        {
            var (x, w, b) = Tensors.Of(c);
            int inPer = c.InChannels / c.Groups, outPer = c.OutChannels / c.Groups;
            var parts = Enumerable.Range(0, c.Groups).Select(g =>
            {
                var xg = Grid.Move(x, c.InputShape.With(1, inPer), i => [i[0], i[1] - g * inPer, .. i[2..]]);
                var wg = Grid.Move(w, c.WeightShape.With(0, outPer), i => [i[0] - g * outPer, .. i[1..]]);
                var bg = b is null ? null : Tensor.FromArray(Shape.Of(outPer), b.ToArray().Skip(g * outPer).Take(outPer).ToArray());
                return Conv.Forward(Sample.Float, c.Spec with { OutChannels = outPer, Groups = 1 }, xg, wg, bg);
            }).ToArray();
            Expect.Close("grouped conv vs concat of per-group convs", Conv.Forward(Sample.Float, c.Spec, x, w, b), Concat.Forward(Sample.Float, parts, 1));
        });

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Same_padding_at_stride_1_keeps_the_spatial_size_for_every_kernel_and_dilation() =>
        Prop.ForAll(ConvGen.Any.Select(SameAtStride1).Where(c => c.IsValid).ToArbitrary(), c =>
        {
            var (x, w, b) = Tensors.Of(c);
            Expect.Equal("output size", Conv.Forward(Sample.Float, c.Spec, x, w, b).Shape, c.InputShape.With(1, c.OutChannels));
        });

    private static ConvCase SameAtStride1(ConvCase c) => c with { Padding = Padding.Same, Stride = c.Stride.Select(_ => 1).ToArray() };

    private static ConvCase PointwiseOf(ConvCase c) => c with
    {
        Groups = 1, Kernel = c.Kernel.Select(_ => 1).ToArray(), Stride = c.Stride.Select(_ => 1).ToArray(),
        Dilation = c.Dilation.Select(_ => 1).ToArray(), Padding = Padding.Valid, Mode = PaddingMode.Zeros,
    };

    // G: a stride-1, undilated, unpadded conv without bias; F: kernel k2 (1–2 per dim) to 1–2 channels; the input
    // grown so that both fit.
    private static (ConvCase G, int[] K2, int Outer) StackableOf(ConvCase c)
    {
        var k2 = c.Kernel.Select((_, i) => 1 + (int)((c.Seed >> i) & 1)).ToArray();
        var g = c with
        {
            Groups = 1, InChannels = c.InChannels / c.Groups, OutChannels = c.OutChannels / c.Groups, Stride = c.Stride.Select(_ => 1).ToArray(),
            Dilation = c.Dilation.Select(_ => 1).ToArray(), Padding = Padding.Valid, Mode = PaddingMode.Zeros, Bias = false,
        };
        g = g with { Input = g.Input.Select((n, i) => Math.Max(n, g.Kernel[i] + k2[i] - 1)).ToArray() };
        return (g, k2, 1 + (int)((c.Seed >> 3) & 1));
    }

    // K[o,c,v] = Σ_m Σ_{u+t=v} F[o,m,u]·G[m,c,t]: correlation composes by adding offsets (F⊗(G⊗I) = (F⊗G)⊗I).
    private static Tensor Compose(Tensor f, Tensor g)
    {
        var dims = f.Shape.Dims.Skip(2).Zip(g.Shape.Dims.Skip(2), (a, b) => a + b - 1).ToArray();
        var k = Shape.Of([f.Shape[0], g.Shape[1], .. dims]);
        var sum = new float[k.Count];
        ReadOnlySpan<float> fs = f.Span, gs = g.Span;
        var fi = 0;
        foreach (var a in Grid.Indices(f.Shape))
        {
            var gi = 0;
            foreach (var t in Grid.Indices(g.Shape))
            {
                if (t[0] == a[1]) sum[Grid.Flat(k, [a[0], t[1], .. a[2..].Zip(t[2..], (u, v) => u + v)])] += fs[fi] * gs[gi];
                gi++;
            }
            fi++;
        }
        return Tensor.FromArray(k, sum);
    }

    private static int[] Unflatten(int flat, int[] dims)
    {
        var r = new int[dims.Length];
        for (var i = dims.Length - 1; i >= 0; i--) (r[i], flat) = (flat % dims[i], flat / dims[i]);
        return r;
    }
}
