using Functional.Pictures;
using Xunit;
using Xunit.Abstractions;

namespace Functional.Tests;

public sealed class PicturesChartTests(ITestOutputHelper output)
{
    // Samples land here so a person can open them; the tests check what can be checked mechanically.
    private static readonly string SampleDir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "functional-picture-samples")).FullName;

    private static void RoundTrips(Picture p, string name)
    {
        var path = Path.Combine(SampleDir, name);
        p.Save(path);
        var d = PicturesPngReader.Decode(File.ReadAllBytes(path));
        Assert.Equal((p.Width, p.Height), (d.Width, d.Height));
        Assert.Equal(p.Pixels.ToArray(), d.Pixels);
    }

    private static int CountColor(Picture p, Rgb c)
    {
        var n = 0;
        for (var y = 0; y < p.Height; y++)
            for (var x = 0; x < p.Width; x++)
                if (p[x, y] == c) n++;
        return n;
    }

    [Fact]
    public void Line_chart_draws_every_series_in_its_colour()
    {
        var epochs = Enumerable.Range(1, 10).ToArray();
        var train = epochs.Select(e => 0.9 * Math.Exp(-0.3 * e) + 0.25).ToArray();
        var test = epochs.Select(e => 0.8 * Math.Exp(-0.25 * e) + 0.3).ToArray();
        var loss = LineChart.Render("Loss", "epoch", "cross-entropy", [Series.PerStep("train loss", train), Series.PerStep("test loss", test)], yMin: 0);
        var acc = LineChart.Render("Accuracy", "epoch", "accuracy", [Series.PerStep("train", train.Select(v => 1.1 - v).ToArray()), Series.PerStep("test", test.Select(v => 1.12 - v).ToArray())]);
        var both = Picture.Row(16, loss, acc);
        RoundTrips(both, "line-chart.png");
        Assert.Equal(loss.Width * 2 + 16, both.Width);
        Assert.True(CountColor(loss, Rgb.Series(0)) > 200);
        Assert.True(CountColor(loss, Rgb.Series(1)) > 200);
        output.WriteLine(SampleDir);
    }

    [Fact]
    public void Heat_map_with_colour_bar_spans_the_colormap()
    {
        var names = Functional.Data.FashionMnist.ClassNames;
        var m = new double[10, 10];
        for (var r = 0; r < 10; r++)
            for (var k = 0; k < 10; k++)
                m[r, k] = r == k ? 850 + 10 * r : (r * 7 + k * 3) % 11 * (r == 6 ? 12 : 3);
        var p = HeatMap.Render("Confusion matrix", m, names, names, "true class", "predicted class");
        RoundTrips(p, "heat-map.png");
        Assert.True(CountColor(p, Colormap.Viridis(0)) > 100);
        Assert.True(CountColor(p, Colormap.Viridis(0.94)) > 40 * 40);   // the 940 cell, minus its digits
    }

    [Fact]
    public void Image_grid_with_captions_shows_fixture_images()
    {
        var test = Functional.Data.FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small")).Test;
        var images = test.Images(0, 8);
        var tiles = Enumerable.Range(0, 8).Select(i => new GridTile(
            Tensor.FromArray(Shape.Image(1, 28, 28), images.Span.Slice(i * 784, 784)), Functional.Data.FashionMnist.ClassNames[test.Label(i)], 0, 1)).ToList();
        var p = ImageGrid.Render(tiles, 4, zoom: 4, title: "Fashion-MNIST test images");
        RoundTrips(p, "image-grid.png");
        var gray = Path.Combine(SampleDir, "gray.png");
        Png.Save(gray, 28, 28, PngColor.Gray, test.Sample(0));
        Assert.Equal(test.Sample(0).ToArray(), PicturesPngReader.Decode(File.ReadAllBytes(gray)).Pixels);
        var filters = Enumerable.Range(0, 6).Select(i => new GridTile(Tensor.Normal(Shape.Of(5, 5), Functional.Random.Key.FromSeed(i)), $"filter {i}")).ToList();
        RoundTrips(ImageGrid.Render(filters, 6, zoom: 12, title: "conv1 filters", colormap: Colormap.Viridis), "filters.png");
        Assert.Throws<ArgumentException>(() => ImageGrid.Render([new GridTile(Tensor.Zeros(Shape.Of(2, 3, 3)))], 1));
    }

    [Fact]
    public void Activation_heat_map_shows_a_signed_edge_response_with_a_symmetric_colour_bar()
    {
        var test = Functional.Data.FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small")).Test;
        var img = test.Images(1, 1).Span;   // a pullover: strong vertical edges at its sides
        // The notes' vertical-edge detector [[1, 0, −1]] × 3, as a valid cross-correlation: 26×26 response.
        var r = new float[26 * 26];
        for (var y = 0; y < 26; y++)
            for (var x = 0; x < 26; x++)
                for (var dy = 0; dy < 3; dy++)
                    r[y * 26 + x] += img[(y + dy) * 28 + x] - img[(y + dy) * 28 + x + 2];
        var map = Tensor.FromArray(Shape.Of(26, 26), r);
        var p = HeatMap.Render("vertical edges", map, cell: 10, colormap: Colormap.Diverging, symmetric: true);
        RoundTrips(Picture.Row(16, ImageGrid.Render([new GridTile(test.Images(1, 1).Reshape(1, 28, 28), "input", 0, 1)], 1, zoom: 10), p), "edge.png");
        Assert.True(CountColor(p, Colormap.Diverging(0.5)) > 26 * 10 * 10);    // flat regions respond with zero: white
        Assert.Throws<ArgumentException>(() => HeatMap.Render("", Tensor.Zeros(Shape.Of(2, 2, 2))));
    }

    [Fact]
    public void Scatter_plot_labels_its_points()
    {
        var pts = new[]
        {
            new ScatterPoint(14.9, 0.861, "narrow", "depth 2"), new ScatterPoint(61.7, 0.895, "LeNet-5", "depth 2"),
            new ScatterPoint(120, 0.902, "wide", "depth 3"), new ScatterPoint(240, 0.908, "wider", "depth 3"),
            new ScatterPoint(35, 0.88, "deep-thin", "depth 4"),
        };
        var p = ScatterPlot.Render("Architecture sweep", "parameters (thousands)", "test accuracy", pts);
        RoundTrips(p, "scatter.png");
        Assert.True(CountColor(p, Rgb.Series(2)) > 50);
    }

    [Fact]
    public void Nice_axes_fall_on_round_numbers()
    {
        var a = Axis.Nice(0.237, 0.912);
        Assert.Equal(0.2, a.Min, 9);
        Assert.Equal(1.0, a.Max, 9);
        Assert.Equal(["0.2", "0.4", "0.6", "0.8", "1.0"], a.Ticks.Select(a.Label));
        var b = Axis.Nice(-3, 47);
        Assert.Equal("−10", b.Label(b.Ticks[0]));
        var flat = Axis.Nice(5, 5);                 // a constant series still gets a usable axis around it
        Assert.True(flat.Min < 5 && flat.Max > 5);
    }
}
