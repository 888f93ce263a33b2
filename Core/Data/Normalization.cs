using System.Collections.Immutable;

namespace Functional.Data;

/// <summary>
/// Per-channel normalisation applied when a batch is built: x = (pixel/255 − mean[c]) / std[c], as torchvision's
/// <c>ToTensor</c> followed by <c>Normalize(mean, std)</c>.
/// </summary>
public sealed record Normalization
{
    private Normalization(ImmutableArray<float> mean, ImmutableArray<float> std)
    {
        if (mean.Length != std.Length || mean.Length == 0)
            throw new ArgumentException($"Normalization: {mean.Length} means and {std.Length} standard deviations given; give one of each per channel.");
        for (var c = 0; c < std.Length; c++)
            if (!(std[c] > 0f) || !float.IsFinite(std[c]) || !float.IsFinite(mean[c]))
                throw new ArgumentException($"Normalization: channel {c} has mean {mean[c]} and std {std[c]}; the std must be positive and both finite.");
        Mean = mean;
        Std = std;
    }

    /// <summary>Per-channel means, in units of pixel/255.</summary>
    public ImmutableArray<float> Mean { get; }

    /// <summary>Per-channel standard deviations, in units of pixel/255.</summary>
    public ImmutableArray<float> Std { get; }

    /// <summary>Only the scaling to [0, 1]: mean 0 and std 1 for every channel.</summary>
    public static Normalization Unit(int channels) =>
        new([.. Enumerable.Repeat(0f, channels)], [.. Enumerable.Repeat(1f, channels)]);

    /// <summary>The given per-channel statistics (one mean and one std per channel).</summary>
    public static Normalization PerChannel(ReadOnlySpan<float> mean, ReadOnlySpan<float> std) => new([.. mean], [.. std]);

    /// <summary>The per-channel mean and (population) standard deviation of <paramref name="data"/>'s pixels, so the
    /// normalised training set has mean 0 and std 1 per channel. Use the training set's statistics for the test set.</summary>
    public static Normalization Of(Dataset data)
    {
        var c = data.SampleShape[0];
        var plane = data.SampleShape.Count / c;
        var sum = new long[c];
        var sumSq = new long[c];
        var pixels = data.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            var ch = i / plane % c;
            int v = pixels[i];
            sum[ch] += v;
            sumSq[ch] += v * v;
        }
        var n = (double)data.Count * plane;
        var mean = new float[c];
        var std = new float[c];
        for (var ch = 0; ch < c; ch++)
        {
            var m = sum[ch] / n;
            mean[ch] = (float)(m / 255);
            std[ch] = (float)(Math.Sqrt(Math.Max(sumSq[ch] / n - m * m, 0)) / 255);
            if (std[ch] == 0f) std[ch] = 1f;   // a constant channel: centre it, don't divide by zero
        }
        return new([.. mean], [.. std]);
    }

    /// <summary>The statistics, e.g. <c>mean [0.2860] std [0.3530]</c>.</summary>
    public override string ToString() => $"mean [{string.Join(", ", Mean.Select(m => m.ToString("F4")))}] std [{string.Join(", ", Std.Select(s => s.ToString("F4")))}]";
}
