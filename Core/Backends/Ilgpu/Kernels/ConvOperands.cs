using ILGPU;

namespace Functional.Backends.Ilgpu;

// The three convolution contractions as implicit GEMMs, one product per group (the batch index of the product is
// the conv's group). For output position o, tap k and one spatial dim the input position is i = o·s − p + k·d,
// exactly as in the Reference kernels; each operand computes that relation where a loaded element needs it, so no
// im2col matrix is written. Taps that fall outside the input read zero (zero padding).

/// <summary>Forward: y[g] (C_out/G × N·oP) = w[g] (C_out/G × C_in/G·kP) · x̂[g] (C_in/G·kP × N·oP), plus bias.</summary>
internal readonly struct ConvForwardOperands(ConvGeometry g, ArrayView<float> x, ArrayView<float> w, ArrayView<float> bias, ArrayView<float> y)
    : ITiledProduct
{
    private readonly ConvGeometry g = g;
    private readonly ArrayView<float> x = x, w = w, bias = bias, y = y;

    public static ProductShape Shape(in ConvGeometry g) =>
        new(g.Groups, g.OutPerGroup, g.Batch * g.Output.Cells(), g.InPerGroup * g.Kernel.Cells());

    public float A(int group, int row, int k) => w[(group * g.OutPerGroup + row) * g.InPerGroup * g.Kernel.Cells() + k];

    public float B(int group, int k, int col)
    {
        var kP = g.Kernel.Cells();
        var ci = k / kP;
        var (kd, kh, kw) = ConvIndex.Split(k - ci * kP, g.Kernel);
        var oP = g.Output.Cells();
        var n = col / oP;
        var (od, oh, ow) = ConvIndex.Split(col - n * oP, g.Output);
        var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
        var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
        var iw = ow * g.Stride.W - g.PadBefore.W + kw * g.Dilation.W;
        if ((uint)id >= (uint)g.Input.D || (uint)ih >= (uint)g.Input.H || (uint)iw >= (uint)g.Input.W) return 0f;
        var plane = n * g.InChannels + group * g.InPerGroup + ci;
        return x[((plane * g.Input.D + id) * g.Input.H + ih) * g.Input.W + iw];
    }

    public void Store(int group, int row, int col, float sum)
    {
        var co = group * g.OutPerGroup + row;
        var oP = g.Output.Cells();
        var n = col / oP;
        y[(n * g.OutChannels + co) * oP + col - n * oP] = bias.Length > 0 ? sum + bias[co] : sum;
    }
}

/// <summary>
/// Backward-data: dx[g] (C_in/G × N·iP) = wᵀ[g] (C_in/G × C_out/G·kP) · dŷ[g] (C_out/G·kP × N·iP), where dŷ holds
/// dy[o] at the o with o·s = i + p − k·d and zero where no such o exists: the full correlation of the
/// stride-dilated dy with the flipped kernel, read in the kernel's own order.
/// </summary>
internal readonly struct ConvBackwardDataOperands(ConvGeometry g, ArrayView<float> dy, ArrayView<float> w, ArrayView<float> dx)
    : ITiledProduct
{
    private readonly ConvGeometry g = g;
    private readonly ArrayView<float> dy = dy, w = w, dx = dx;

    public static ProductShape Shape(in ConvGeometry g) =>
        new(g.Groups, g.InPerGroup, g.Batch * g.Input.Cells(), g.OutPerGroup * g.Kernel.Cells());

    public float A(int group, int row, int k)
    {
        var kP = g.Kernel.Cells();
        var co = k / kP;
        return w[((group * g.OutPerGroup + co) * g.InPerGroup + row) * kP + k - co * kP];
    }

    public float B(int group, int k, int col)
    {
        var kP = g.Kernel.Cells();
        var co = k / kP;
        var (kd, kh, kw) = ConvIndex.Split(k - co * kP, g.Kernel);
        var iP = g.Input.Cells();
        var n = col / iP;
        var (id, ih, iw) = ConvIndex.Split(col - n * iP, g.Input);
        var od = ConvIndex.OutputAt(id + g.PadBefore.D - kd * g.Dilation.D, g.Stride.D, g.Output.D);
        var oh = ConvIndex.OutputAt(ih + g.PadBefore.H - kh * g.Dilation.H, g.Stride.H, g.Output.H);
        var ow = ConvIndex.OutputAt(iw + g.PadBefore.W - kw * g.Dilation.W, g.Stride.W, g.Output.W);
        if (od < 0 || oh < 0 || ow < 0) return 0f;
        var plane = n * g.OutChannels + group * g.OutPerGroup + co;
        return dy[((plane * g.Output.D + od) * g.Output.H + oh) * g.Output.W + ow];
    }

    public void Store(int group, int row, int col, float sum)
    {
        var iP = g.Input.Cells();
        var n = col / iP;
        dx[(n * g.InChannels + group * g.InPerGroup + row) * iP + col - n * iP] = sum;
    }
}

/// <summary>
/// Backward-filter: dw[g] (C_out/G × C_in/G·kP) = dy[g] (C_out/G × N·oP) · x̂[g] (N·oP × C_in/G·kP), each weight summed
/// over batch and positions by one thread. With a bias gradient wanted, x̂ gains a last column of ones, so the same
/// tiles produce dbias = Σ dy per channel.
/// </summary>
internal readonly struct ConvBackwardFilterOperands(ConvGeometry g, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dw, ArrayView<float> dbias)
    : ITiledProduct
{
    private readonly ConvGeometry g = g;
    private readonly ArrayView<float> x = x, dy = dy, dw = dw, dbias = dbias;

    public static ProductShape Shape(in ConvGeometry g, bool bias) =>
        new(g.Groups, g.OutPerGroup, g.InPerGroup * g.Kernel.Cells() + (bias ? 1 : 0), g.Batch * g.Output.Cells());

    public float A(int group, int row, int k)
    {
        var oP = g.Output.Cells();
        var n = k / oP;
        return dy[(n * g.OutChannels + group * g.OutPerGroup + row) * oP + k - n * oP];
    }

    public float B(int group, int k, int col)
    {
        var kP = g.Kernel.Cells();
        var ci = col / kP;
        if (ci == g.InPerGroup) return 1f;
        var (kd, kh, kw) = ConvIndex.Split(col - ci * kP, g.Kernel);
        var oP = g.Output.Cells();
        var n = k / oP;
        var (od, oh, ow) = ConvIndex.Split(k - n * oP, g.Output);
        var id = od * g.Stride.D - g.PadBefore.D + kd * g.Dilation.D;
        var ih = oh * g.Stride.H - g.PadBefore.H + kh * g.Dilation.H;
        var iw = ow * g.Stride.W - g.PadBefore.W + kw * g.Dilation.W;
        if ((uint)id >= (uint)g.Input.D || (uint)ih >= (uint)g.Input.H || (uint)iw >= (uint)g.Input.W) return 0f;
        var plane = n * g.InChannels + group * g.InPerGroup + ci;
        return x[((plane * g.Input.D + id) * g.Input.H + ih) * g.Input.W + iw];
    }

    public void Store(int group, int row, int col, float sum)
    {
        var co = group * g.OutPerGroup + row;
        var taps = g.InPerGroup * g.Kernel.Cells();
        if (col < taps) dw[co * taps + col] = sum;
        else dbias[co] = sum;
    }
}

/// <summary>Index arithmetic shared by the conv operands.</summary>
internal static class ConvIndex
{
    /// <summary>A flat in-volume index as (d, h, w) of <paramref name="extent"/>.</summary>
    public static (int D, int H, int W) Split(int flat, Dims3 extent)
    {
        var w = flat % extent.W;
        var rest = flat / extent.W;
        return (rest / extent.H, rest % extent.H, w);
    }

    /// <summary>The output o with o·s = <paramref name="t"/>, or −1 where t is negative, not a multiple of s, or past the output.</summary>
    public static int OutputAt(int t, int stride, int output)
    {
        if (t < 0) return -1;
        var o = t / stride;
        return o * stride == t && o < output ? o : -1;
    }
}
