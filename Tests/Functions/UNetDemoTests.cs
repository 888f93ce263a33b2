using Functional.Cli.Pictures;
using Functional.Data;
using Xunit;

namespace Functional.Tests.Functions;

/// <summary>The U-Net demonstration learns to reconstruct, draws its picture, and runs on two input sizes.</summary>
public class UNetDemoTests
{
    [Fact]
    public void The_unet_learns_to_reconstruct_and_runs_on_a_second_input_size()
    {
        var test = FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small")).Test;
        var result = UNetExample.Run(test, count: 48, epochs: 3, shown: 4);

        Assert.True(result.Losses[^1] < 0.7 * result.Losses[0], $"reconstruction MSE per epoch: {string.Join(", ", result.Losses)}");
        // Four columns of 28×28 tiles at zoom 3 and two rows (inputs, reconstructions), plus margins and captions.
        Assert.True(result.Picture.Width >= 4 * 28 * 3 && result.Picture.Height >= 2 * 28 * 3, $"{result.Picture.Width}×{result.Picture.Height}");
        var larger = result.Model.Predict(Tensor.Zeros(Shape.Images(2, 1, 32, 32)));
        Assert.Equal(Shape.Images(2, 1, 32, 32), larger.Shape);
    }
}
