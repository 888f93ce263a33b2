using Functional.Network;
using static Functional.Dsl.Layers;

namespace Functional.Dsl.Zoo;

/// <summary>
/// A small U-Net-style encoder–decoder for 1×H×W images (H and W divisible by 4): two stages down by 2×2 max
/// pooling, back up by nearest upsampling, with each stage's features concatenated to its decoder (the skip
/// connections), and a sigmoid output of one channel. It is fully convolutional, so one model runs on any size
/// that divides by 4.
/// </summary>
public static class UNet
{
    /// <summary>The network, <paramref name="width"/> channels at full resolution and twice that one stage down.</summary>
    public static Layer Small(int width = 8)
    {
        Layer Block(int c) => Conv(c, 3, padding: 1).Then(GroupNorm(2)).Then(SiLU);
        // Concat(Identity, down → … → up) joins a stage's features with its decoder's upsampled ones on channels.
        var inner = Sequential(MaxPool(2), Block(2 * width), Upsample(2));
        var middle = Sequential(Block(width), Concat(Identity, inner), Block(width));
        return Sequential(Block(width), Concat(Identity, Sequential(MaxPool(2), middle, Upsample(2))), Block(width), Conv(1, 1), Sigmoid);
    }
}
