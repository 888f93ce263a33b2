using Functional.Network;
using Functional.Network.Combinators;
using Functional.Network.Primitives;
using Functional.Ops;

namespace Functional.Dsl;

/// <summary>
/// The entry points of the network language: <c>using static Functional.Dsl.Layers;</c> in C#,
/// <c>open type Functional.Dsl.Layers</c> in F#. Each returns a <see cref="Layer"/> value (architecture only) to
/// compose with <see cref="Layer.Then"/>. In-channels and the spatial rank are never given: they come from the
/// input shape at <see cref="Layer.Init"/>. Kernel, stride and dilation take an int or a per-dim tuple; padding
/// also takes <see cref="Padding.Same"/>, <see cref="Padding.Valid"/> or <see cref="Padding.Full"/>.
/// </summary>
public static partial class Layers
{
    /// <summary>A convolution with <paramref name="filters"/> output channels (PyTorch's Conv1d/2d/3d, by input rank).</summary>
    /// <param name="kernel">Kernel extent: one int for every dim, or one per dim.</param>
    /// <param name="stride">Step (default 1).</param>
    /// <param name="padding">Zero (default), an int, a per-dim tuple, Same, Valid or Full.</param>
    /// <param name="dilation">Spacing between taps (default 1).</param>
    /// <param name="groups">Channel groups (default 1); in- and out-channels must both divide by it.</param>
    /// <param name="bias">Whether to add a per-channel bias (default true).</param>
    /// <param name="paddingMode">Zeros, Reflect, Replicate or Circular.</param>
    public static Layer Conv(int filters, PerDim kernel, PerDim stride = default, Padding padding = default, PerDim dilation = default,
        int groups = 1, bool bias = true, PaddingMode paddingMode = PaddingMode.Zeros) =>
        new ConvLayer(filters, kernel, stride, padding, dilation, groups, bias, paddingMode);

    /// <summary>A 1-d convolution (input N×C×L); as <see cref="Conv"/> with the rank pinned.</summary>
    public static Layer Conv1d(int filters, PerDim kernel, PerDim stride = default, Padding padding = default, PerDim dilation = default,
        int groups = 1, bool bias = true, PaddingMode paddingMode = PaddingMode.Zeros) =>
        new ConvLayer(filters, kernel, stride, padding, dilation, groups, bias, paddingMode, Rank: 1);

    /// <summary>A 2-d convolution (input N×C×H×W); as <see cref="Conv"/> with the rank pinned.</summary>
    public static Layer Conv2d(int filters, PerDim kernel, PerDim stride = default, Padding padding = default, PerDim dilation = default,
        int groups = 1, bool bias = true, PaddingMode paddingMode = PaddingMode.Zeros) =>
        new ConvLayer(filters, kernel, stride, padding, dilation, groups, bias, paddingMode, Rank: 2);

    /// <summary>A 3-d convolution (input N×C×D×H×W); as <see cref="Conv"/> with the rank pinned.</summary>
    public static Layer Conv3d(int filters, PerDim kernel, PerDim stride = default, Padding padding = default, PerDim dilation = default,
        int groups = 1, bool bias = true, PaddingMode paddingMode = PaddingMode.Zeros) =>
        new ConvLayer(filters, kernel, stride, padding, dilation, groups, bias, paddingMode, Rank: 3);

    /// <summary>Fully connected to <paramref name="units"/> outputs; takes N×features (put <see cref="Flatten"/> before it).</summary>
    public static Layer Dense(int units, bool bias = true) => new DenseLayer(units, bias);

    /// <summary>max(x, 0).</summary>
    public static Layer ReLU { get; } = new ActivationLayer(Activation.ReLU);

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    public static Layer LeakyReLU(float slope = 0.01f) => new ActivationLayer(Activation.LeakyReLU(slope));

    /// <summary>1/(1+e^−x).</summary>
    public static Layer Sigmoid { get; } = new ActivationLayer(Activation.Sigmoid);

    /// <summary>tanh x.</summary>
    public static Layer Tanh { get; } = new ActivationLayer(Activation.Tanh);

    /// <summary>N×C×… → N×(C·…).</summary>
    public static Layer Flatten { get; } = new FlattenLayer();

    /// <summary>y = x; the unit of <see cref="Layer.Then"/>.</summary>
    public static Layer Identity { get; } = new Identity();

    /// <summary>Max pooling; stride defaults to the kernel, padding (zero) to 0, at most half the kernel.</summary>
    /// <param name="ceil">Ceil instead of floor in the output size (PyTorch's <c>ceil_mode</c>).</param>
    public static Layer MaxPool(PerDim kernel, PerDim stride = default, PerDim padding = default, PerDim dilation = default, bool ceil = false) =>
        new PoolLayer(PoolType.Max, kernel, Given(stride), Given(padding), Given(dilation), ceil);

    /// <summary>Average pooling; as <see cref="MaxPool"/>, and <paramref name="countIncludePad"/> as PyTorch's <c>count_include_pad</c>.</summary>
    public static Layer AvgPool(PerDim kernel, PerDim stride = default, PerDim padding = default, bool ceil = false, bool countIncludePad = true) =>
        new PoolLayer(PoolType.Average, kernel, Given(stride), Given(padding), null, ceil, countIncludePad);

    /// <summary>A layer addressed by <paramref name="name"/> in paths and errors (<c>fc1.weight</c>).</summary>
    public static Layer Named(string name, Layer layer) => new Named(name, layer);

    /// <summary>The layers one after another: the same as chaining them with <see cref="Layer.Then"/>.</summary>
    public static Layer Sequential(params Layer[] layers) => Chain.Of(layers);

    private static PerDim? Given(PerDim p) => p.IsGiven ? p : null;
}
