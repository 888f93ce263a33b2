using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Functional.Backends;
using Functional.Backends.Reference;
using Functional.Ops;
using Functional.Properties.Support;
using Xunit;

namespace Functional.Properties;

/// <summary>
/// The backward pass of a cross-correlation is two more correlations. Each law computes one side by rearranging
/// the data (stride-dilating dY, swapping the roles of batch and channels, flipping kernels) and running a plain
/// forward pass, and compares it exactly with the op's backward (integer data make every sum exact).
/// </summary>
public class DualityLaws
{
    private const string Law = "Duality";

    // 300 cases: each runs a conv backward and one or two forward convs on tensors of at most a few hundred elements.
    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Weight_gradient_is_the_correlation_of_the_input_with_the_stride_dilated_upstream_gradient() =>
        Prop.ForAll(ConvGen.Arb(ConvGen.ZeroPadded), c =>
        {
            var (x, w, b) = Tensors.Of(c);
            var dy = Sample.IntTensor(c.ExpectedOutput, c.Seed + 3);
            var grads = Conv.Backward(Sample.Float, c.Spec, x, w, b, dy);
            Expect.Close("dW", grads.Weight, WeightGradientAsCorrelation(c, x, dy));
            if (b is not null) Expect.Close("db (Σ dY per channel)", grads.Bias!, SumPerChannel(dy));
        });

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public Property Input_gradient_is_the_full_true_convolution_of_the_upstream_gradient_with_the_kernel() =>
        Prop.ForAll(ConvGen.Arb(ConvGen.ZeroPadded), c =>
        {
            var (x, w, b) = Tensors.Of(c);
            var dy = Sample.IntTensor(c.ExpectedOutput, c.Seed + 3);
            var dx = Conv.Backward(Sample.Float, c.Spec, x, w, b, dy).Input;
            Expect.Close("dX", dx, InputGradientAsTrueConvolution(c, w, dy));
        });

    [Property(MaxTest = 300)]
    [Trait("Law", Law)]
    public void True_convolution_with_w_is_cross_correlation_with_the_flipped_kernel(ConvCase c)
    {
        var (x, w, b) = Tensors.Of(c);
        Expect.Close("x ∗ w vs x ⋆ flip(w)", TrueConvolution.Forward(Sample.Float, c.Spec, x, w, b), Conv.Forward(Sample.Float, c.Spec, x, Grid.Flip(w), b));
    }

    /// <summary>
    /// dW[γ·G_out + j, ci, k] = Σ_{n,o} x[n, γ·G_in + ci, o·s − p + k·d] · dy[n, γ·G_out + j, o], written as a forward
    /// correlation per group: batch ↔ channels swapped, dY as the kernel, the stride as dilation and the dilation as stride.
    /// </summary>
    public static Tensor WeightGradientAsCorrelation(ConvCase c, Tensor x, Tensor dy)
    {
        int inPer = c.InChannels / c.Groups, outPer = c.OutChannels / c.Groups;
        var outDims = Enumerable.Range(0, c.Rank).Select(c.Out).ToArray();
        var geometry = new ConvGeometry(c.Rank, inPer, c.Batch, outPer, 1, Dims3.FromSpatial(c.Input), Dims3.FromSpatial(outDims),
            Dims3.FromSpatial(c.Dilation), Dims3.FromSpatial(c.Stride), Dims3.FromSpatial(Enumerable.Range(0, c.Rank).Select(i => c.Pad(i).Before).ToArray(), 0),
            Dims3.FromSpatial(c.Kernel));
        var dw = new float[c.WeightShape.Count];
        var perGroup = Shape.Of([inPer, outPer, .. c.Kernel]);
        for (var g = 0; g < c.Groups; g++)
        {
            var group = g;
            var xs = Grid.Move(x, Shape.Of([inPer, c.Batch, .. c.Input]), idx => Swap01(idx, -group * inPer, 0)).Span.ToArray();
            var ks = Grid.Move(dy, Shape.Of([outPer, c.Batch, .. outDims]), idx => Swap01(idx, -group * outPer, 0)).Span.ToArray();
            var r = new float[perGroup.Count];
            ConvKernels.Forward<float>(geometry, xs, ks, [], r);
            var flat = 0;
            foreach (var idx in Grid.Indices(perGroup))
                dw[Grid.Flat(c.WeightShape, [group * outPer + idx[1], idx[0], .. idx[2..]])] = r[flat++];
        }
        return Tensor.FromArray(c.WeightShape, dw);
    }

    /// <summary>
    /// dX = (dY dilated by the stride) ∗ w with full padding d(k−1), a true convolution from C_out back to C_in
    /// channels (the kernel's channel axes swapped within each group), cropped by the forward padding p₀.
    /// </summary>
    public static Tensor InputGradientAsTrueConvolution(ConvCase c, Tensor w, Tensor dy)
    {
        int inPer = c.InChannels / c.Groups, outPer = c.OutChannels / c.Groups;
        var swapped = Grid.Move(w, Shape.Of([c.InChannels, outPer, .. c.Kernel]), idx =>
            [idx[0] / outPer * inPer + idx[1], idx[0] % outPer, .. idx[2..]]);
        var spec = new ConvSpec(c.Rank, c.InChannels, c.Kernel, null, Padding.Full, c.Dilation, c.Groups, bias: false);
        var full = TrueConvolution.Forward(Sample.Float, spec, Grid.Dilate(dy, c.Stride), swapped);
        return Grid.Move(full, c.InputShape, idx => Grid.Map(idx, (a, v) => a < 2 ? v : v - c.Pad(a - 2).Before));
    }

    private static int[] Swap01(int[] idx, int shift0, int shift1) => [idx[1] + shift0, idx[0] + shift1, .. idx[2..]];

    private static Tensor SumPerChannel(Tensor dy)
    {
        var sums = new float[dy.Shape[1]];
        var flat = 0;
        var v = dy.Span;
        foreach (var idx in Grid.Indices(dy.Shape)) sums[idx[1]] += v[flat++];
        return Tensor.FromArray(Shape.Of(dy.Shape[1]), sums);
    }
}
