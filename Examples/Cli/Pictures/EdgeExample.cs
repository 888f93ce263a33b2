using Functional.Data;
using Functional.Ops;
using Functional.Pictures;
using ExecutionContext = Functional.Backends.ExecutionContext;

namespace Functional.Cli.Pictures;

/// <summary>The two pictures of the edge example and the numbers behind them.</summary>
/// <param name="Input">The image, 1×1×28×28, pixels scaled to [0, 1].</param>
/// <param name="Response">The filter's output, 1×1×26×26 (no padding, stride 1).</param>
/// <param name="InputPicture">The image enlarged, captioned with its index and class.</param>
/// <param name="ResponsePicture">The response as a blue–white–red heat map with a colour bar symmetric around 0.</param>
internal sealed record EdgePictures(Tensor Input, Tensor Response, Picture InputPicture, Picture ResponsePicture);

/// <summary>
/// The notes' vertical-edge detector: the 3×3 kernel whose rows are all [1, 0, −1], cross-correlated with an image.
/// Each output is (left column − right column) of its 3×3 window, so it is positive where brightness falls from left
/// to right, negative where it rises, and zero over flat areas. On Fashion-MNIST (light garments on black) the left
/// outline of a garment lights up blue and the right outline red; horizontal outlines stay white.
/// </summary>
internal static class EdgeExample
{
    /// <summary>The kernel, 1×1×3×3 (out, in, H, W).</summary>
    public static Tensor Kernel { get; } = Tensor.FromArray(Shape.Of(1, 1, 3, 3), new float[] { 1, 0, -1, 1, 0, -1, 1, 0, -1 });

    /// <summary>Applies the kernel to test image <paramref name="index"/> and draws both pictures.</summary>
    /// <exception cref="UsageException">There is no such test image.</exception>
    public static EdgePictures Run(Dataset test, int index)
    {
        if ((uint)index >= (uint)test.Count)
            throw new UsageException($"--index {index}: the test set has {test.Count} images (0..{test.Count - 1}).");
        var input = test.Images(index, 1);
        var spec = new ConvSpec(2, 1, [3], bias: false);
        var response = Conv.Forward(ExecutionContext.Reference, spec, input, Kernel, layer: "vertical edge");
        var label = FashionMnist.ClassNames[test.Label(index)];
        var (h, w) = (input.Shape[2], input.Shape[3]);
        var inputPicture = ImageGrid.Render([new GridTile(input.Reshape(h, w), $"test image {index}: {label}", 0, 1)], columns: 1, zoom: 10,
            title: "Input");
        var responsePicture = HeatMap.Render("Vertical edges: [[1,0,−1]]×3",
            response.Reshape(response.Shape[2], response.Shape[3]), cell: 10, colormap: Colormap.Diverging, symmetric: true);
        return new(input, response, inputPicture, responsePicture);
    }
}
