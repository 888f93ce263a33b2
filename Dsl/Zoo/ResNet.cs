using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.Dsl.Zoo;

/// <summary>Residual networks with basic blocks (ResNet-18 and -34), with torchvision's parameter paths.</summary>
public static class ResNet
{
    /// <summary>ResNet-18 for ImageNet (3×224×224, 1000 classes): 11,689,512 parameters.</summary>
    public static Layer ResNet18(int classes = 1000) => Build([2, 2, 2, 2], classes, cifar: false);

    /// <summary>ResNet-34 for ImageNet: 21,797,672 parameters.</summary>
    public static Layer ResNet34(int classes = 1000) => Build([3, 4, 6, 3], classes, cifar: false);

    /// <summary>ResNet-18 for CIFAR (3×32×32): a 3×3 stride-1 stem without max pooling, 10 classes; 11,173,962 parameters.</summary>
    public static Layer ResNet18Cifar(int classes = 10) => Build([2, 2, 2, 2], classes, cifar: true);

    /// <summary>
    /// conv 3×3 (stride <paramref name="stride"/>), BN, ReLU, conv 3×3, BN; plus the input (projected when the shape
    /// changes); ReLU. Named as torchvision's BasicBlock: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>, <c>bn2</c>, <c>downsample</c>.
    /// </summary>
    public static Layer BasicBlock(int filters, int stride = 1) => Residual(
        Sequential(
            Named("conv1", Conv(filters, 3, stride: stride, padding: 1, bias: false)), Named("bn1", BatchNorm), ReLU,
            Named("conv2", Conv(filters, 3, padding: 1, bias: false)), Named("bn2", BatchNorm)),
        after: ReLU);

    private static Layer Build(int[] blocks, int classes, bool cifar)
    {
        var stem = cifar
            ? Sequential(Named("conv1", Conv(64, 3, padding: 1, bias: false)), Named("bn1", BatchNorm), ReLU)
            : Sequential(Named("conv1", Conv(64, 7, stride: 2, padding: 3, bias: false)), Named("bn1", BatchNorm), ReLU,
                Named("maxpool", MaxPool(3, stride: 2, padding: 1)));
        var stages = blocks.Select((count, s) =>
        {
            var filters = 64 << s;
            var stage = Sequential(Enumerable.Range(0, count).Select(b => BasicBlock(filters, b == 0 && s > 0 ? 2 : 1)).ToArray());
            return Named($"layer{s + 1}", stage);
        });
        return Sequential([stem, .. stages, Named("avgpool", GlobalAvgPool), Flatten, Named("fc", Dense(classes))]);
    }
}
