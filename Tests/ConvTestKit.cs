using Functional.Backends;
using Functional.Backends.Reference;

namespace Functional.Tests;

/// <summary>
/// The conv-family ops composed from the generic reference kernels in double precision, exactly as the float ops
/// compose the backend entries, so gradient checks can use central differences without float rounding noise.
/// </summary>
internal static class ConvTestKit
{
    /// <summary>Conv forward in double: optional explicit pad, then the zero-padded correlation.</summary>
    public static double[] ConvForward(ConvPlan plan, double[] x, double[] w, double[] b)
    {
        var y = new double[plan.Geometry.OutputLength];
        ConvKernels.Forward<double>(plan.Geometry, Padded(plan, x), w, b, y);
        return y;
    }

    /// <summary>Conv backward in double: (dx, dw, db).</summary>
    public static (double[] Dx, double[] Dw, double[] Db) ConvBackward(ConvPlan plan, double[] x, double[] w, bool bias, double[] dy)
    {
        var g = plan.Geometry;
        var dxPadded = new double[g.InputLength];
        ConvKernels.BackwardData<double>(g, dy, w, dxPadded);
        var dx = dxPadded;
        if (plan.Pad is { } pad)
        {
            dx = new double[pad.Planes * pad.Input.Product];
            PadKernels.Backward<double>(pad, plan.PaddingMode, dxPadded, dx);
        }
        var dw = new double[g.WeightLength];
        var db = bias ? new double[g.OutChannels] : [];
        ConvKernels.BackwardFilter<double>(g, Padded(plan, x), dy, dw, db);
        return (dx, dw, db);
    }

    /// <summary>Transposed conv forward in double: backward-data of the underlying conv, plus the bias per channel.</summary>
    public static double[] TransposeForward(ConvTransposePlan plan, double[] x, double[] w, double[] b)
    {
        var g = plan.Underlying;
        var y = new double[g.InputLength];
        ConvKernels.BackwardData<double>(g, x, w, y);
        if (b.Length > 0)
            for (var i = 0; i < y.Length; i++) y[i] += b[i / g.Input.Product % g.InChannels];
        return y;
    }

    /// <summary>Transposed conv backward in double: (dx, dw, db).</summary>
    public static (double[] Dx, double[] Dw, double[] Db) TransposeBackward(ConvTransposePlan plan, double[] x, double[] w, bool bias, double[] dy)
    {
        var g = plan.Underlying;
        var dx = new double[g.OutputLength];
        ConvKernels.Forward<double>(g, dy, w, [], dx);
        var dw = new double[g.WeightLength];
        ConvKernels.BackwardFilter<double>(g, dy, x, dw, []);
        var db = new double[bias ? g.InChannels : 0];
        if (bias)
            for (var i = 0; i < dy.Length; i++) db[i / g.Input.Product % g.InChannels] += dy[i];
        return (dx, dw, db);
    }

    private static double[] Padded(ConvPlan plan, double[] x)
    {
        if (plan.Pad is not { } pad) return x;
        var y = new double[pad.Planes * pad.Output.Product];
        PadKernels.Forward<double>(pad, plan.PaddingMode, x, y);
        return y;
    }

    public static Tensor ToTensor(Shape shape, double[] data) => Tensor.FromArray(shape, data);

    public static double[] ToDouble(Tensor t) => t.ToArray().Select(v => (double)v).ToArray();
}
