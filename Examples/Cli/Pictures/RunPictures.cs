using Functional.Pictures;

namespace Functional.Cli.Pictures;

/// <summary>
/// The pictures a training run leaves in its folder, drawn from plain values: learning curves, conv1's filters,
/// conv1's activation maps beside their images, and the confusion matrix.
/// </summary>
internal static class RunPictures
{
    /// <summary>curves.png: loss (left) and accuracy (right) per epoch, train against test.</summary>
    /// <exception cref="ArgumentException">The four lists differ in length or are empty.</exception>
    public static Picture Curves(IReadOnlyList<double> trainLoss, IReadOnlyList<double> testLoss, IReadOnlyList<double> trainAccuracy, IReadOnlyList<double> testAccuracy)
    {
        var n = trainLoss.Count;
        if (n == 0 || testLoss.Count != n || trainAccuracy.Count != n || testAccuracy.Count != n)
            throw new ArgumentException($"Curves: need one value per epoch in each list, got {n}, {testLoss.Count}, {trainAccuracy.Count} and {testAccuracy.Count}.");
        var loss = LineChart.Render("Loss per epoch", "epoch", "cross-entropy",
            [Series.PerStep("train", trainLoss), Series.PerStep("test", testLoss)], width: 640, height: 440, yMin: 0);
        var accuracy = LineChart.Render("Accuracy per epoch", "epoch", "accuracy",
            [Series.PerStep("train", trainAccuracy), Series.PerStep("test", testAccuracy)], width: 640, height: 440, yMax: 1);
        return Picture.Row(16, loss, accuracy);
    }

    /// <summary>filters.png: each output channel's kernel, enlarged, on one blue–white–red scale shared by all
    /// filters (so their strengths compare): blue negative, white zero, red positive. Several input channels are
    /// shown as RGB when there are three, else averaged.</summary>
    /// <exception cref="ArgumentException">The weight is not C_out × C_in × kH × kW.</exception>
    public static Picture Filters(Tensor weight, string title = "conv1 filters")
    {
        if (weight.Shape.Rank != 4)
            throw new ArgumentException($"Filters: a 2-d conv weight is C_out×C_in×kH×kW, not {weight.Shape}.");
        var (cout, cin, kh, kw) = (weight.Shape[0], weight.Shape[1], weight.Shape[2], weight.Shape[3]);
        var w = weight.Span;
        var m = 0.0;
        foreach (var v in w) m = Math.Max(m, Math.Abs(v));
        var tiles = new List<GridTile>();
        for (var o = 0; o < cout; o++)
        {
            var filter = w.Slice(o * cin * kh * kw, cin * kh * kw);
            Tensor image;
            if (cin is 1 or 3) image = Tensor.FromArray(Shape.Of(cin, kh, kw), filter);
            else
            {
                var mean = new float[kh * kw];
                for (var c = 0; c < cin; c++)
                    for (var i = 0; i < mean.Length; i++) mean[i] += filter[c * kh * kw + i] / cin;
                image = Tensor.FromArray(Shape.Of(1, kh, kw), mean);
            }
            tiles.Add(new GridTile(image, $"filter {o}", -m, m));
        }
        var zoom = Math.Max(4, 120 / Math.Max(kh, kw));
        return ImageGrid.Render(tiles, columns: Math.Min(cout, 8), zoom: zoom,
            title: string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{title}: blue < 0 < red, |w| up to {m:F2}"), colormap: Colormap.Diverging);
    }

    /// <summary>activations.png: one row per image: the image (its class as caption), then each activation map,
    /// the maps of a row sharing one grey scale from min(0, smallest) to the row's largest value.</summary>
    /// <param name="images">N×1×H×W pixels in [0, 1], as shown.</param>
    /// <param name="captions">One caption per image (its class).</param>
    /// <param name="maps">N×C×H'×W' activation maps for the same images.</param>
    /// <exception cref="ArgumentException">The counts or ranks do not match.</exception>
    public static Picture Activations(Tensor images, IReadOnlyList<string> captions, Tensor maps, string title)
    {
        if (images.Shape.Rank != 4 || maps.Shape.Rank != 4 || images.Shape[0] != maps.Shape[0] || captions.Count != images.Shape[0])
            throw new ArgumentException($"Activations: {images.Shape} images, {captions.Count} captions and {maps.Shape} maps do not match.");
        var (n, c, h, w) = (maps.Shape[0], maps.Shape[1], maps.Shape[2], maps.Shape[3]);
        var (ih, iw) = (images.Shape[2], images.Shape[3]);
        var px = images.Span;
        var v = maps.Span;
        var tiles = new List<GridTile>();
        for (var i = 0; i < n; i++)
        {
            var row = v.Slice(i * c * h * w, c * h * w);
            float lo = 0, hi = 0;
            foreach (var a in row) { lo = Math.Min(lo, a); hi = Math.Max(hi, a); }
            tiles.Add(new GridTile(Tensor.FromArray(Shape.Of(1, ih, iw), px.Slice(i * images.Shape[1] * ih * iw, ih * iw)), captions[i], 0, 1));
            for (var k = 0; k < c; k++)
                tiles.Add(new GridTile(Tensor.FromArray(Shape.Of(1, h, w), row.Slice(k * h * w, h * w)), $"map {k}", lo, hi > lo ? hi : lo + 1));
        }
        return ImageGrid.Render(tiles, columns: c + 1, zoom: 4, title: title);
    }

    /// <summary>confusion.png: counts of (true class, predicted class) with the class names on both axes.</summary>
    /// <exception cref="ArgumentException">The matrix is not square with one name per class.</exception>
    public static Picture Confusion(int[,] counts, IReadOnlyList<string> classNames, string title = "Confusion matrix (test set)")
    {
        var k = counts.GetLength(0);
        if (counts.GetLength(1) != k || classNames.Count != k)
            throw new ArgumentException($"Confusion: a {k}×{counts.GetLength(1)} matrix with {classNames.Count} class names; it must be square with one name per class.");
        var values = new double[k, k];
        for (var r = 0; r < k; r++)
            for (var p = 0; p < k; p++) values[r, p] = counts[r, p];
        return HeatMap.Render(title, values, classNames, classNames, rowTitle: "true class", columnTitle: "predicted class", cell: 56);
    }
}
