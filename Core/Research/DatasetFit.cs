using Functional.Data;

namespace Functional.Research;

/// <summary>
/// Adapts a dataset to a study's input shape, so architectures defined for one input (the 3×32×32 CIFAR-10 pair
/// of the mlp-vs-cnn study) can be trained on the data at hand (1×28×28 Fashion-MNIST) with their parameter
/// counts unchanged: grey images are repeated into every channel and centred on a zero border.
/// </summary>
public static class DatasetFit
{
    /// <summary>
    /// <paramref name="data"/> with samples of shape <paramref name="sample"/>: the same dataset when the shapes
    /// already agree; otherwise one-channel images are copied to each channel and padded with zeros evenly on
    /// both sides (an odd extra row or column goes to the bottom or right).
    /// </summary>
    /// <exception cref="ShapeException">The target is smaller than the images, or the channels cannot be matched
    /// (only 1 → C is defined).</exception>
    public static Dataset To(Dataset data, Shape sample)
    {
        var from = data.SampleShape;
        if (from == sample) return data;
        if (sample.Rank != 3 || sample[1] < from[1] || sample[2] < from[2] || (from[0] != sample[0] && from[0] != 1))
            throw new ShapeException($"DatasetFit: cannot fit samples of {from} into {sample}; the target must be C×H×W with H ≥ {from[1]}, W ≥ {from[2]}, and the same channels or one source channel.");
        int channels = sample[0], height = sample[1], width = sample[2];
        int top = (height - from[1]) / 2, left = (width - from[2]) / 2;
        var pixels = new byte[(long)data.Count * sample.Count];
        for (var n = 0; n < data.Count; n++)
        {
            var src = data.Sample(n);
            var dest = pixels.AsSpan(n * sample.Count, sample.Count);
            for (var c = 0; c < channels; c++)
            {
                var plane = src.Slice((from[0] == 1 ? 0 : c) * from[1] * from[2], from[1] * from[2]);
                for (var y = 0; y < from[1]; y++)
                    plane.Slice(y * from[2], from[2]).CopyTo(dest.Slice(c * height * width + (top + y) * width + left));
            }
        }
        return Dataset.FromBytes(sample, pixels, data.Labels, data.Classes);
    }
}
