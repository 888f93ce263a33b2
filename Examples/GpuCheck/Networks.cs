using Functional.Dsl.Zoo;
using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.GpuCheck;

/// <summary>The two networks whose training steps the report checks and times.</summary>
public static class Networks
{
    /// <summary>The zoo's LeNet-5 (ReLU, max pooling) on 1×28×28 images: the network of <c>./build.sh train</c>.</summary>
    public static Layer LeNet5 => LeNet.Modern();

    /// <summary>
    /// ResNet-18 for CIFAR with first-stage width <paramref name="width"/>: at 64 the zoo's network (11,173,962
    /// parameters); narrower, the same depth, blocks, projections and batch norms at a cost the CPU simulator can
    /// run.
    /// </summary>
    public static Layer ResNet18Cifar(int width) => width == 64 ? ResNet.ResNet18Cifar() : Sequential(
    [
        Conv(width, 3, padding: 1, bias: false), BatchNorm, ReLU,
        .. Enumerable.Range(0, 4).SelectMany(s => new[] { ResNet.BasicBlock(width << s, s > 0 ? 2 : 1), ResNet.BasicBlock(width << s) }),
        GlobalAvgPool, Flatten, Dense(10),
    ]);

    /// <summary>"ResNet-18 (CIFAR)" or, when narrowed, "ResNet-18 (CIFAR, widths 4-32, 3x8x8)".</summary>
    public static string ResNetName(int width, int side) =>
        width == 64 && side == 32 ? "ResNet-18 (CIFAR)" : $"ResNet-18 (CIFAR, widths {width}-{width * 8}, 3x{side}x{side})";
}
