using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.Dsl.Zoo;

/// <summary>The classic ImageNet classifiers: AlexNet and VGG, with torchvision's parameter paths.</summary>
public static class ImageNet
{
    /// <summary>
    /// AlexNet for 3×227×227 (one tower, no local response normalisation): 96@11×11 stride 4, max 3/2,
    /// 256@5×5, max 3/2, 384@3×3, 384@3×3, 256@3×3, max 3/2, then 4096, 4096 and 1000 units with dropout.
    /// 62,378,344 parameters.
    /// </summary>
    public static Layer AlexNet(int classes = 1000) => Sequential(
        Named("features", Sequential(
            Conv(96, 11, stride: 4), ReLU, MaxPool(3, stride: 2),
            Conv(256, 5, padding: 2), ReLU, MaxPool(3, stride: 2),
            Conv(384, 3, padding: 1), ReLU, Conv(384, 3, padding: 1), ReLU, Conv(256, 3, padding: 1), ReLU,
            MaxPool(3, stride: 2))),
        Flatten,
        Named("classifier", Sequential(Dropout(0.5f), Dense(4096), ReLU, Dropout(0.5f), Dense(4096), ReLU, Dense(classes))));

    /// <summary>VGG with <paramref name="depth"/> 11, 13, 16 or 19 weight layers (configurations A, B, D, E), for 3×224×224.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Another depth.</exception>
    public static Layer Vgg(int depth, int classes = 1000)
    {
        int[] config = depth switch
        {
            11 => [64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
            13 => [64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0],
            16 => [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0],
            19 => [64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "VGG comes in depths 11, 13, 16 and 19."),
        };
        var features = Sequential(config.Select(c => c == 0 ? MaxPool(2) : Conv(c, 3, padding: 1).Then(ReLU)).ToArray());
        return Sequential(
            Named("features", features),
            Named("avgpool", AdaptiveAvgPool(7, 7)),
            Flatten,
            Named("classifier", Sequential(Dense(4096), ReLU, Dropout(0.5f), Dense(4096), ReLU, Dropout(0.5f), Dense(classes))));
    }
}
