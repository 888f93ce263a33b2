using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Primitives;

namespace Functional.Dsl;

public static partial class Layers
{
    /// <summary>A transposed convolution (PyTorch's ConvTranspose1d/2d/3d by input rank); padding is explicit.</summary>
    /// <param name="outputPadding">Extra elements on the far side of each dim, to pick the output size a strided conv leaves ambiguous.</param>
    public static Layer ConvTranspose(int filters, PerDim kernel, PerDim stride = default, PerDim padding = default,
        PerDim outputPadding = default, PerDim dilation = default, int groups = 1, bool bias = true) =>
        new ConvTransposeLayer(filters, kernel, stride, padding.IsGiven ? padding : 0, outputPadding.IsGiven ? outputPadding : 0, dilation, groups, bias);

    /// <summary>A depthwise convolution: one filter per input channel (groups = C_in), times <paramref name="multiplier"/>.</summary>
    public static Layer DepthwiseConv(PerDim kernel, PerDim stride = default, Padding padding = default, PerDim dilation = default,
        int multiplier = 1, bool bias = true, PaddingMode paddingMode = PaddingMode.Zeros) =>
        new ConvLayer(multiplier, kernel, stride, padding, dilation, 1, bias, paddingMode, Depthwise: true);

    /// <summary>A pointwise (1×1) convolution: mixes channels at each position.</summary>
    public static Layer Pointwise(int filters, bool bias = true) => new ConvLayer(filters, 1, default, default, default, 1, bias);

    /// <summary>A depthwise-separable convolution: <see cref="DepthwiseConv"/> without bias, then <see cref="Pointwise"/> (with one unless <paramref name="bias"/> is false); two positions of a chain.</summary>
    public static Layer SeparableConv(int filters, PerDim kernel, PerDim stride = default, Padding padding = default, PerDim dilation = default, bool bias = true) =>
        DepthwiseConv(kernel, stride, padding, dilation, bias: false).Then(Pointwise(filters, bias));

    /// <summary>A locally connected 2-d layer: a conv whose weights differ at every output position.</summary>
    public static Layer LocallyConnected(int filters, PerDim kernel, PerDim stride = default, PerDim padding = default, PerDim dilation = default, bool bias = true) =>
        new LocallyConnectedLayer(filters, kernel, stride, padding.IsGiven ? padding : 0, dilation, bias);

    /// <summary>Global average pooling: N×C×H×W → N×C×1×1.</summary>
    public static Layer GlobalAvgPool { get; } = new AdaptivePoolLayer(1, Global: true);

    /// <summary>Adaptive average pooling to <paramref name="height"/>×<paramref name="width"/> whatever the input size.</summary>
    public static Layer AdaptiveAvgPool(int height, int width) => new AdaptivePoolLayer((height, width));

    /// <summary>Adaptive average pooling to the same size along every spatial dim.</summary>
    public static Layer AdaptiveAvgPool(int size) => new AdaptivePoolLayer(size);

    /// <summary>Batch normalisation per channel, with PyTorch's defaults (momentum 0.1, eps 1e-5).</summary>
    public static Layer BatchNorm { get; } = new BatchNormLayer();

    /// <summary>Batch normalisation with other momentum or eps.</summary>
    public static Layer BatchNormWith(float momentum = 0.1f, float eps = 1e-5f) => new BatchNormLayer(momentum, eps);

    /// <summary>Inverted dropout with drop probability <paramref name="p"/> (training only; the mask comes from the step's key).</summary>
    public static Layer Dropout(float p) => new DropoutLayer(p);

    /// <summary>Softmax over dim 1 (classes).</summary>
    public static Layer Softmax { get; } = new SoftmaxLayer();

    /// <summary>Log-softmax over dim 1 (classes).</summary>
    public static Layer LogSoftmax { get; } = new SoftmaxLayer(Log: true);

    /// <summary>
    /// <paramref name="block"/>(x) + x; when the block changes the shape, x goes through ResNet's projection
    /// (1×1 conv with the block's stride, no bias, then batch norm), under the path <c>downsample</c>.
    /// </summary>
    /// <param name="shortcut">An explicit shortcut instead of the identity or the projection.</param>
    /// <param name="after">A layer applied to the sum inside the residual (ResNet's ReLU), so a chain of blocks counts one position per block.</param>
    public static Layer Residual(Layer block, Layer? shortcut = null, Layer? after = null) => new Residual(block, shortcut, after);

    /// <summary>The branches' outputs side by side along channels; each branch reads the same input.</summary>
    public static Layer Concat(params Layer[] branches) => new Concat(branches);

    /// <summary>Keeps the listed input channels, in order: with <see cref="Concat"/>, a partial connection table.</summary>
    public static Layer Channels(params int[] channels) => new ChannelSelect(channels);

    /// <summary>One trainable coefficient and bias per channel: y = w_c·x + b_c (LeNet-5's trainable subsampling).</summary>
    public static Layer ChannelAffine { get; } = new ChannelAffine();
}
