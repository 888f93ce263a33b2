using Functional.Backends;
using Functional.Functions;
using Functional.Network;
using Functional.Network.Functions;

namespace Functional.Dsl;

public static partial class Layers
{
    /// <summary>GELU, x·Φ(x); with <paramref name="tanh"/> PyTorch's tanh approximation.</summary>
    public static Layer GELU(bool tanh = false) => new PointActivationLayer(tanh ? PointOp.GeluTanh : PointOp.Gelu);

    /// <summary>SiLU (Swish), x·σ(x).</summary>
    public static Layer SiLU { get; } = new PointActivationLayer(PointOp.SiLU);

    /// <summary>Hardswish, x·relu6(x + 3)/6.</summary>
    public static Layer Hardswish { get; } = new PointActivationLayer(PointOp.Hardswish);

    /// <summary>Mish, x·tanh(softplus(x)).</summary>
    public static Layer Mish { get; } = new PointActivationLayer(PointOp.Mish);

    /// <summary>LayerNorm over the last <paramref name="dims"/> dims of each sample (default: all of them), with affine weight and bias.</summary>
    public static Layer LayerNorm(int dims = 0, float eps = 1e-5f) => new LayerNormLayer(dims, eps);

    /// <summary>GroupNorm with <paramref name="groups"/> groups of channels and a per-channel affine weight and bias.</summary>
    public static Layer GroupNorm(int groups, float eps = 1e-5f) => new GroupNormLayer(groups, eps);

    /// <summary>InstanceNorm with an affine transform: GroupNorm with one group per channel.</summary>
    public static Layer InstanceNorm(float eps = 1e-5f) => new GroupNormLayer(0, eps);

    /// <summary>Nearest-neighbour upsampling by integer <paramref name="scale"/> (one for every spatial dim, or one each).</summary>
    public static Layer Upsample(params int[] scale) => new UpsampleLayer(scale);

    /// <summary>Bilinear upsampling of N×C×H×W by integer <paramref name="scale"/>, PyTorch's <c>align_corners</c> either way.</summary>
    public static Layer UpsampleBilinear(int scale, bool alignCorners = false) => new UpsampleLayer([scale], UpsampleMode.Bilinear, alignCorners);

    /// <summary>PyTorch's nn.Flatten(start_dim, end_dim) on the batched input (dim 0 is the batch).</summary>
    public static Layer FlattenRange(int start = 1, int end = -1) => new FlattenRangeLayer(start, end);

    /// <summary>
    /// A custom layer from a tensor function of the batched input and named parameters, each declared with its
    /// shape as a function of the per-sample input shape (<see cref="Param.Uniform"/>, <see cref="Param.Constant"/>).
    /// </summary>
    public static Layer Lambda(string name, Func<Var, IReadOnlyDictionary<string, Var>, Var> body, params Param[] parameters) =>
        new LambdaLayer(name, body, parameters);
}
