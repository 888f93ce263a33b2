using Functional.Network;

namespace Functional.Dsl.Zoo;

/// <summary>A zoo model by name: how to build it and the per-sample input it is defined for.</summary>
public sealed record ZooEntry(string Name, string Description, Shape Input, Func<Layer> Build);

/// <summary>The models of the zoo by their command-line names (<c>lenet5</c>, <c>resnet18-cifar</c>, …).</summary>
public static class Catalog
{
    /// <summary>Every zoo model, in order of size.</summary>
    public static IReadOnlyList<ZooEntry> Entries { get; } =
    [
        new("lenet5", "LeNet-5, ReLU and max pooling, 1×28×28", Shape.Image(1, 28, 28), () => LeNet.Modern()),
        new("lenet5-tanh", "LeNet-5, tanh and average pooling, 1×28×28", Shape.Image(1, 28, 28), () => LeNet.Modern(LeNetStyle.TanhAverage)),
        new("lenet5-classic", "LeNet-5 as published in 1998 (trainable subsampling, C3 connection table), 1×32×32", Shape.Image(1, 32, 32), LeNet.Classic),
        new("cnn-cifar", "small CNN on CIFAR-10", Shape.Image(3, 32, 32), Small.CnnCifar),
        new("mlp-cifar", "MLP on CIFAR-10", Shape.Image(3, 32, 32), Small.MlpCifar),
        new("mobilenet-v1", "MobileNet-v1, 3×224×224", Shape.Image(3, 224, 224), () => Small.MobileNetV1()),
        new("resnet18-cifar", "ResNet-18 with a 3×3 stem for CIFAR-10", Shape.Image(3, 32, 32), () => ResNet.ResNet18Cifar()),
        new("resnet18", "ResNet-18, 3×224×224", Shape.Image(3, 224, 224), () => ResNet.ResNet18()),
        new("resnet34", "ResNet-34, 3×224×224", Shape.Image(3, 224, 224), () => ResNet.ResNet34()),
        new("alexnet", "AlexNet, 3×227×227", Shape.Image(3, 227, 227), () => ImageNet.AlexNet()),
        new("vgg11", "VGG-11, 3×224×224", Shape.Image(3, 224, 224), () => ImageNet.Vgg(11)),
        new("vgg16", "VGG-16, 3×224×224", Shape.Image(3, 224, 224), () => ImageNet.Vgg(16)),
        new("vgg19", "VGG-19, 3×224×224", Shape.Image(3, 224, 224), () => ImageNet.Vgg(19)),
    ];

    /// <summary>The entry called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No model has that name; the message lists the names.</exception>
    public static ZooEntry Get(string name) =>
        Entries.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No zoo model is called '{name}'; choose one of {string.Join(", ", Entries.Select(e => e.Name))}.");
}
