using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.Dsl.Zoo;

/// <summary>MobileNet-v1 and the small CIFAR-10 pair that shows what weight sharing saves.</summary>
public static class Small
{
    /// <summary>
    /// MobileNet-v1 (width 1, 3×224×224): a 3×3 stride-2 conv to 32 channels, then 13 depthwise-separable blocks
    /// (depthwise 3×3 + BN + ReLU, pointwise 1×1 + BN + ReLU), global average pooling and a dense classifier.
    /// Convs before batch norm have no bias. 4,231,976 parameters for 1000 classes.
    /// </summary>
    public static Layer MobileNetV1(int classes = 1000)
    {
        (int Filters, int Stride)[] blocks =
            [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)];
        var body = blocks.Select(b => Sequential(
            DepthwiseConv(3, stride: b.Stride, padding: 1, bias: false), BatchNorm, ReLU,
            Pointwise(b.Filters, bias: false), BatchNorm, ReLU));
        return Sequential([Conv(32, 3, stride: 2, padding: 1, bias: false), BatchNorm, ReLU, .. body, GlobalAvgPool, Flatten, Dense(classes)]);
    }

    /// <summary>A multilayer perceptron on 3×32×32 CIFAR-10 images: 3072 → 64 → 32 → 10, 199,082 parameters.</summary>
    public static Layer MlpCifar() => Sequential(Flatten, Dense(64), ReLU, Dense(32), ReLU, Dense(10));

    /// <summary>
    /// A small CNN on 3×32×32 CIFAR-10 images with as few parameters as its weight sharing allows: conv 8@5×5,
    /// 16@3×3 and 32@5×5, each followed by ReLU and 2×2 max pooling (32 → 28 → 14 → 12 → 6 → 2 → 1), then 10
    /// units: 14,938 parameters, 13 times fewer than the MLP.
    /// </summary>
    public static Layer CnnCifar() => Sequential(
        Conv(8, 5), ReLU, MaxPool(2), Conv(16, 3), ReLU, MaxPool(2), Conv(32, 5), ReLU, MaxPool(2), Flatten, Dense(10));
}
