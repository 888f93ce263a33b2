namespace Functional.Data;

/// <summary>
/// Random training-time augmentation, applied per sample when a batch is built: a random crop of the original size
/// from the image zero-padded by <see cref="CropPadding"/> pixels on every side (torchvision's
/// <c>RandomCrop(size, padding)</c>), then, if <see cref="HorizontalFlip"/>, a mirror image with probability ½.
/// The random choices come from a <see cref="Functional.Random.Key"/>, so a seed fixes them.
/// </summary>
/// <param name="CropPadding">Pixels of zero padding per side before cropping (0: no crop).</param>
/// <param name="HorizontalFlip">Mirror left–right with probability ½.</param>
public sealed record Augmentation(int CropPadding = 0, bool HorizontalFlip = false)
{
    /// <summary>No augmentation.</summary>
    public static Augmentation None { get; } = new();

    /// <summary>The usual CIFAR recipe: pad 4, random 32×32 crop, random flip.</summary>
    public static Augmentation CropAndFlip(int padding = 4) => new(padding, true);

    /// <summary>The offsets and flip chosen for one sample: the crop window starts at (Dy, Dx) in padded coordinates.</summary>
    internal readonly record struct Choice(int Dy, int Dx, bool Flip);

    internal Choice Choose(Random.Key sampleKey) => new(
        CropPadding > 0 ? sampleKey.Below(0, 2 * CropPadding + 1) : CropPadding,
        CropPadding > 0 ? sampleKey.Below(1, 2 * CropPadding + 1) : CropPadding,
        HorizontalFlip && sampleKey.Below(2, 2) == 1);

    /// <summary>Writes the augmented C×H×W sample into <paramref name="dest"/> as raw pixel values (padding is 0).</summary>
    internal static void Apply(ReadOnlySpan<byte> src, Span<float> dest, int channels, int height, int width, int padding, Choice choice)
    {
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < height; y++)
            {
                var sy = y + choice.Dy - padding;
                var row = dest.Slice((c * height + y) * width, width);
                if ((uint)sy >= (uint)height) { row.Clear(); continue; }
                var srcRow = src.Slice((c * height + sy) * width, width);
                for (var x = 0; x < width; x++)
                {
                    var sx = (choice.Flip ? width - 1 - x : x) + choice.Dx - padding;
                    row[x] = (uint)sx < (uint)width ? srcRow[sx] : 0f;
                }
            }
    }
}
