using Functional.Data;
using Functional.Dsl.Zoo;
using Functional.Network;
using Functional.Pictures;
using Functional.Random;
using Functional.Training;

namespace Functional.Cli.Pictures;

/// <summary>The U-Net demonstration's result: the loss per epoch, the trained model and the picture.</summary>
internal sealed record UNetResult(IReadOnlyList<double> Losses, Model Model, Picture Picture);

/// <summary>
/// Trains <see cref="UNet.Small"/> to reconstruct Fashion-MNIST images (MSE against the input, pixels in [0, 1])
/// and draws test inputs above their reconstructions. The skips let it copy detail at full resolution, so a few
/// epochs on a couple of hundred images already give recognisable garments.
/// </summary>
internal static class UNetExample
{
    /// <summary>Trains on the first <paramref name="count"/> images for <paramref name="epochs"/> epochs and shows <paramref name="shown"/> of them.</summary>
    public static UNetResult Run(Dataset data, int count, int epochs, int shown = 8, int seed = 1)
    {
        var n = Math.Min(count, data.Count);
        var images = data.Images(0, n);
        var pixels = images.ToArray();
        var set = TensorDataset.WithTargets(data.SampleShape, pixels, data.SampleShape, pixels);
        var model = UNet.Small().Init(data.SampleShape, seed);
        var fit = Trainer.Fit(model, Optimizer.Adam(3e-3), TensorLoader.Over(set, 16).Shuffled(Key.FromSeed(seed)), null,
            new FitOptions(Epochs: epochs, Seed: seed, Loss: Loss.Mse));
        var k = Math.Min(shown, n);
        var input = data.Images(0, k);
        var output = fit.Model.Predict(input);
        var (h, w) = (data.SampleShape[1], data.SampleShape[2]);
        var tiles = Enumerable.Range(0, k).Select(i => new GridTile(Slice(input, i, h, w), $"input {i}", 0, 1))
            .Concat(Enumerable.Range(0, k).Select(i => new GridTile(Slice(output, i, h, w), $"output {i}", 0, 1))).ToArray();
        var picture = ImageGrid.Render(tiles, columns: k, zoom: 3, title: $"U-Net reconstructions after {epochs} epochs on {n} images");
        return new UNetResult(fit.History.Select(r => r.TrainLoss).ToArray(), fit.Model, picture);
    }

    private static Tensor Slice(Tensor batch, int i, int h, int w) => Tensor.FromArray(Shape.Of(h, w), batch.Span.Slice(i * h * w, h * w));
}
