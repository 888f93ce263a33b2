
namespace Functional.Properties.Support;

/// <summary>
/// The matrix of a zero-padded conv as a dense layer on one sample: rows are (c_out, output position), columns
/// (c_in, input position), and entry w[co, ci, k] sits wherever output o reads input o·s − p + k·d. Built from the
/// formula with plain loops, independently of the kernels.
/// </summary>
public static class Toeplitz
{
    /// <summary>Row-major (C_out·∏o) × (C_in·∏i) matrix for the case's geometry and weights <paramref name="w"/>.</summary>
    public static double[] Matrix(ConvCase c, double[] w)
    {
        var outShape = Shape.Of([c.OutChannels, .. Enumerable.Range(0, c.Rank).Select(c.Out)]);
        var inShape = Shape.Of([c.InChannels, .. c.Input]);
        var kShape = Shape.Of([c.InChannels / c.Groups, .. c.Kernel]);
        var m = new double[outShape.Count * inShape.Count];
        int inPer = c.InChannels / c.Groups, outPer = c.OutChannels / c.Groups;
        var row = 0;
        foreach (var o in Grid.Indices(outShape))
        {
            var co = o[0];
            var tap = 0;
            foreach (var k in Grid.Indices(kShape))
            {
                var at = new int[inShape.Rank];
                at[0] = co / outPer * inPer + k[0];
                for (var i = 0; i < c.Rank; i++) at[1 + i] = o[1 + i] * c.Stride[i] - c.Pad(i).Before + k[1 + i] * c.Dilation[i];
                var col = Grid.Flat(inShape, at);
                if (col >= 0) m[row * inShape.Count + col] += w[co * kShape.Count + tap];
                tap++;
            }
            row++;
        }
        return m;
    }
}
