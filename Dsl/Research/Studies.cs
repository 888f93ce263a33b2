using Functional.Dsl.Zoo;
using Functional.Network;
using Functional.Research;
using static Functional.Dsl.Layers;

namespace Functional.Dsl.Research;

/// <summary>
/// The built-in studies: the comparisons the lecture notes make, as lists of variants for 1×28×28 Fashion-MNIST
/// (or 3×32×32 for the CIFAR-10 pair), ready for <see cref="Sweep"/> and <c>./build.sh variants --study NAME</c>.
/// </summary>
public static partial class Studies
{
    private static readonly Shape Fashion = Shape.Image(1, 28, 28);

    /// <summary>Every study, by command-line name.</summary>
    public static IReadOnlyList<Study> All { get; } = [VggStacking(), Skip(), MlpVsCnn(), Separable(), Activations()];

    /// <summary>The study called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No study has that name; the message lists them.</exception>
    public static Study Get(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No study is called '{name}'; choose one of {string.Join(", ", All.Select(s => s.Name))}.");

    /// <summary>
    /// <paramref name="convs"/> convs of <paramref name="kernel"/>×<paramref name="kernel"/> with
    /// <paramref name="width"/> filters, each padded to keep the size and followed by ReLU. From C channels to C:
    /// one 5×5 costs 25C² + C and sees 5 pixels; two 3×3 cost 18C² + 2C and also see 5, with one more ReLU.
    /// </summary>
    public static Layer Stack(int convs, int kernel, int width) =>
        Sequential(Enumerable.Range(0, convs).SelectMany(_ => new[] { Conv(width, kernel, padding: kernel / 2), ReLU }).ToArray());

    /// <summary>
    /// VGG's argument: a 3×3 stem to <paramref name="width"/> channels, then two stages of (one 5×5 | two 3×3 |
    /// three 3×3) convs, each stage ending in 2×2 max pooling, and a dense classifier. The first two variants have
    /// the same receptive field; the stacked 3×3s cost 28% fewer weights per stage.
    /// </summary>
    public static Study VggStacking(int width = 32)
    {
        Layer Net(int convs, int kernel) => Sequential(Conv(width, 3, padding: 1), ReLU,
            Stack(convs, kernel, width), MaxPool(2), Stack(convs, kernel, width), MaxPool(2), Flatten, Dense(10));
        return new("vgg-stacking", $"per stage one 5×5 vs two 3×3 vs three 3×3 convs ({width} channels): weights and receptive field", Fashion,
            [new("1x5x5", Net(1, 5), "5×5"), new("2x3x3", Net(2, 3), "3×3"), new("3x3x3", Net(3, 3), "3×3")]);
    }

    /// <summary>
    /// A net of <paramref name="depth"/> weight layers (a 3×3 stem, (depth − 2)/2 blocks of two 3×3 convs in three
    /// stages separated by 2×2 max pooling, global average pooling, a dense classifier), with no batch norm and
    /// PyTorch's default initialisation. Residual blocks add their input before the second ReLU, as ResNet's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The depth is not 2 + 6k (three stages of equal length).</exception>
    public static Layer DeepNet(int depth, bool residual, int width = 16)
    {
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "DeepNet: the depth must be 2 + 6k (k ≥ 1): a stem, three equal stages of two-conv blocks, and the classifier.");
        Layer Block() => residual
            ? Residual(Sequential(Conv(width, 3, padding: 1), ReLU, Conv(width, 3, padding: 1)), after: ReLU)
            : Sequential(Conv(width, 3, padding: 1), ReLU, Conv(width, 3, padding: 1), ReLU);
        Layer Stage() => Sequential(Enumerable.Range(0, (depth - 2) / 6).Select(_ => Block()).ToArray());
        return Sequential(Conv(width, 3, padding: 1), ReLU, Stage(), MaxPool(2), Stage(), MaxPool(2), Stage(), GlobalAvgPool, Flatten, Dense(10));
    }

    /// <summary>
    /// Plain vs residual nets at depths 8, 14 and 20, with the gradient norm at the first layer at initialisation
    /// on a fixed batch: it falls by orders of magnitude with depth in the plain nets and stays up in the
    /// residual ones, the vanishing-gradient effect.
    /// </summary>
    public static Study Skip(int width = 16) => new("skip",
        $"plain vs residual nets of depth 8/14/20 ({width} channels, no batch norm, default init): gradient at the first layer",
        Fashion,
        [.. new[] { 8, 14, 20 }.SelectMany(d => new[] { new Variant($"plain-{d}", DeepNet(d, false, width), "plain"), new Variant($"residual-{d}", DeepNet(d, true, width), "residual") })],
        (images, labels) => [Probe.FirstLayerGradientNorm(images, labels)]);

    /// <summary>The notes' CIFAR-10 pair on 3×32×32: an MLP of 199,082 parameters vs a CNN of 14,938.</summary>
    public static Study MlpVsCnn() => new("mlp-vs-cnn",
        "the notes' MLP (199,082 parameters) vs CNN (14,938) on 3×32×32 inputs: what weight sharing saves",
        Shape.Image(3, 32, 32), [new("mlp", Small.MlpCifar(), "mlp"), new("cnn", Small.CnnCifar(), "cnn")]);

    /// <summary>
    /// Standard vs depthwise-separable 3×3 convs at equal width (a 3×3 stem, two stages of two convs with 2×2
    /// max pooling, global average pooling, a dense classifier), plus a separable net at twice the width.
    /// </summary>
    public static Study Separable(int width = 32)
    {
        Layer Net(bool separable, int w)
        {
            Layer Block() => separable ? SeparableConv(w, 3, padding: 1).Then(ReLU) : Conv(w, 3, padding: 1).Then(ReLU);
            return Sequential(Conv(w, 3, padding: 1), ReLU, Block(), Block(), MaxPool(2), Block(), Block(), MaxPool(2), GlobalAvgPool, Flatten, Dense(10));
        }
        return new("separable", $"standard vs depthwise-separable 3×3 convs at width {width} (and separable at {2 * width})", Fashion,
        [
            new($"standard-{width}", Net(false, width), "standard"),
            new($"separable-{width}", Net(true, width), "separable"),
            new($"separable-{2 * width}", Net(true, 2 * width), "separable"),
        ]);
    }
}
