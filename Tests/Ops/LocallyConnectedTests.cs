using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Ops;
using Functional.Tests.Support;
using Xunit;
using static Functional.Tests.Support.GradCheck;

namespace Functional.Tests.Ops;

public class LocallyConnectedTests
{
    private static readonly ExecutionContext Dbl = DoubleBackend.Context;

    public static TheoryData<int, int, int, int, int> Settings => new()
    {
        // kernel, stride, padding, dilation, out channels
        { 3, 1, 0, 1, 2 }, { 2, 2, 1, 1, 3 }, { 3, 2, 1, 2, 1 },
    };

    /// <summary>The definition as one dense (C_out·P) × (C_in·H·W) matrix: y = M·x + b per sample.</summary>
    private static double[] Unrolled(LocallyConnectedSpec s, Shape xs, double[] x, double[] w, double[] b)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
        int oh = (h + 2 * s.PadH - s.DilationH * (s.KernelH - 1) - 1) / s.StrideH + 1;
        int ow = (wd + 2 * s.PadW - s.DilationW * (s.KernelW - 1) - 1) / s.StrideW + 1;
        int o = s.OutChannels, p = oh * ow, cols = c * h * wd;
        var m = new double[o * p, cols];
        for (var i = 0; i < oh; i++)
            for (var j = 0; j < ow; j++)
                for (var oc = 0; oc < o; oc++)
                    for (var ic = 0; ic < c; ic++)
                        for (var a = 0; a < s.KernelH; a++)
                            for (var bb = 0; bb < s.KernelW; bb++)
                            {
                                int ih = i * s.StrideH - s.PadH + a * s.DilationH, iw = j * s.StrideW - s.PadW + bb * s.DilationW;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                var weight = w[((((i * ow + j) * o + oc) * c + ic) * s.KernelH + a) * s.KernelW + bb];
                                m[oc * p + i * ow + j, (ic * h + ih) * wd + iw] += weight;
                            }
        var y = new double[n * o * p];
        for (var s0 = 0; s0 < n; s0++)
            for (var r = 0; r < o * p; r++)
            {
                var sum = b[r];
                for (var k = 0; k < cols; k++) sum += m[r, k] * x[s0 * cols + k];
                y[s0 * o * p + r] = sum;
            }
        return y;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Forward_equals_the_unrolled_dense_matrix_of_the_definition(int k, int s, int pad, int d, int outs)
    {
        var spec = LocallyConnectedSpec.Square(outs, k, s, pad, d);
        var xs = Shape.Images(2, 2, 6, 5);
        var ws = LocallyConnected2d.WeightShape(spec, xs);
        var ys = LocallyConnected2d.OutputShape(spec, xs);
        var bs = Shape.Of(outs, ys[2], ys[3]);
        double[] x = FiniteDifferences.Random(xs.Count, 71), w = FiniteDifferences.Random(ws.Count, 72), b = FiniteDifferences.Random(bs.Count, 73);
        var expected = Unrolled(spec, xs, x, w, b);
        var actual = V(LocallyConnected2d.Forward(Dbl, spec, T(xs, x), T(ws, w), T(bs, b)));
        FiniteDifferences.AssertClose("locally connected y", actual, expected, 1e-12, 1e-12);
        var single = LocallyConnected2d.Forward(ExecutionContext.Reference, spec, Tensor.FromArray(xs, x), Tensor.FromArray(ws, w), Tensor.FromArray(bs, b));
        Assert.Equal(ys, single.Shape);
        Assert.True(single.AllClose(Tensor.FromArray(ys, expected), 1e-4f, 1e-5f));
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Gradients_match_central_differences(int k, int s, int pad, int d, int outs)
    {
        var spec = LocallyConnectedSpec.Square(outs, k, s, pad, d);
        var xs = Shape.Images(2, 2, 5, 6);
        var ws = LocallyConnected2d.WeightShape(spec, xs);
        var ys = LocallyConnected2d.OutputShape(spec, xs);
        var bs = Shape.Of(outs, ys[2], ys[3]);
        double[] x = FiniteDifferences.Random(xs.Count, 74), w = FiniteDifferences.Random(ws.Count, 75), b = FiniteDifferences.Random(bs.Count, 76);
        double[] Y(double[] xv, double[] wv, double[] bv) => V(LocallyConnected2d.Forward(Dbl, spec, T(xs, xv), T(ws, wv), T(bs, bv)));
        LocallyConnectedGradients G(double[] r) => LocallyConnected2d.Backward(Dbl, spec, T(xs, x), T(ws, w), T(ys, r));
        Check("locally connected dx", x, v => Y(v, w, b), r => V(G(r).Input));
        Check("locally connected dW", w, v => Y(x, v, b), r => V(G(r).Weight));
        Check("locally connected db", b, v => Y(x, w, v), r => V(G(r).Bias!));
    }

    [Fact]
    public void A_shared_weight_is_not_accepted_in_place_of_per_position_weights()
    {
        var spec = LocallyConnectedSpec.Square(4, 3, bias: false);
        var x = Tensor.Zeros(Shape.Images(1, 2, 5, 5));
        var e = Assert.Throws<ShapeException>(() => LocallyConnected2d.Forward(ExecutionContext.Reference, spec, x, Tensor.Zeros(Shape.Of(4, 2, 3, 3)), null, "lc1"));
        Assert.Contains("LocallyConnected2d 'lc1': weight 4×2×3×3 does not fit input 1×2×5×5; expected 3×3×4×2×3×3", e.Message);
        Assert.Throws<ShapeException>(() => LocallyConnected2d.Forward(ExecutionContext.Reference, LocallyConnectedSpec.Square(4, 7), x, Tensor.Zeros(Shape.Of(1))));
    }
}
