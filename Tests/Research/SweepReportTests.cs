using Functional.Data;
using Functional.Pictures;
using Functional.Research;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests.Research;

/// <summary>The sweep's table, CSV and plot, and its checks on the variants.</summary>
public sealed class SweepReportTests
{
    private static SweepReport Trained() => new(Shape.Image(1, 28, 28), ["grad norm @ layer 1"],
    [
        new("small", "a", 1_000, 20_000, [5, 5], true, 4096, [0.5], new TrainingOutcome(1, 0.8125, 2.5, 2400)),
        new("large, wide", "b", 250_000, 9_000_000, [18, 18], true, 409_600, [1e-3], new TrainingOutcome(1, 0.875, 30.25, 198.4)),
    ]);

    [Fact]
    public void The_table_aligns_every_column()
    {
        var lines = Trained().Table().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.StartsWith("Variant", lines[1]);
        var rows = lines.Skip(3).Take(2).ToArray();
        Assert.Equal(lines[1].Length, rows.Max(r => r.Length));
        // Right-aligned numbers end in the same column as their heading.
        var end = lines[1].IndexOf("Params", StringComparison.Ordinal) + "Params".Length;
        Assert.Equal("1,000", rows[0][(end - 5)..end]);
        Assert.Equal("250,000", rows[1][(end - 7)..end]);
        Assert.Contains("0.8125", rows[0]);
        Assert.Contains("18×18", rows[1]);
    }

    [Fact]
    public void The_csv_has_plain_numbers_quoted_names_and_snake_case_headings()
    {
        var lines = Trained().Csv().Split('\n');
        Assert.Equal("variant,group,parameters,mult_adds,receptive_field,activation_bytes,grad_norm_layer_1,epochs,test_accuracy,train_seconds,images_per_second", lines[0]);
        Assert.Equal("small,a,1000,20000,5x5,4096,0.5,1,0.8125,2.500,2400.0", lines[1]);
        Assert.StartsWith("\"large, wide\",b,250000,9000000,18x18,409600,0.001,1,0.875,30.250,198.4", lines[2]);
        Assert.Equal("", lines[3]);
    }

    [Fact]
    public void Saving_writes_the_whole_csv_and_a_png_of_the_plot()
    {
        var dir = Directory.CreateTempSubdirectory("functional-sweep").FullName;
        var report = Trained();
        report.SaveCsv(Path.Combine(dir, "variants.csv"));
        report.SavePlot(Path.Combine(dir, "variants.png"), "test");
        Assert.Equal(report.Csv(), File.ReadAllText(Path.Combine(dir, "variants.csv")));
        var png = PicturesPngReader.Decode(File.ReadAllBytes(Path.Combine(dir, "variants.png")));
        Assert.Equal((720, 480), (png.Width, png.Height));
        Assert.Equal(["variants.csv", "variants.png"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void The_plot_draws_each_group_in_its_own_colour()
    {
        var picture = Trained().Plot("accuracy vs parameters");
        int Count(Rgb c)
        {
            var n = 0;
            for (var y = 0; y < picture.Height; y++)
                for (var x = 0; x < picture.Width; x++)
                    if (picture[x, y] == c) n++;
            return n;
        }
        // A marker is a disc of radius 5 (about 80 pixels); the legend repeats it.
        Assert.True(Count(Rgb.Series(0)) > 60, $"{Count(Rgb.Series(0))} pixels of group a");
        Assert.True(Count(Rgb.Series(1)) > 60, $"{Count(Rgb.Series(1))} pixels of group b");
    }

    [Fact]
    public void Static_figures_leave_the_training_cells_empty()
    {
        var report = new Sweep(Shape.Image(1, 8, 8), [new("conv", Conv(4, 3).Then(ReLU)), new("dense", Flatten.Then(Dense(4)))]).Run();
        Assert.False(report.Trained);
        // 4·9 + 4 weights; 4·9 per output × 6·6 outputs; conv and ReLU outputs each 4·6·6 floats of 4 bytes.
        Assert.Equal("conv,,40,1296,3x3,1152,,,,", report.Csv().Split('\n')[1]);
        Assert.DoesNotContain("Test acc", report.Table());
        Assert.Equal("—", report["dense"].FieldText);
    }

    [Fact]
    public void Variants_must_have_distinct_names_and_fit_the_input()
    {
        var input = Shape.Image(1, 8, 8);
        var dup = Assert.Throws<ArgumentException>(() => new Sweep(input, [new("a", ReLU), new("a", Flatten)]));
        Assert.Contains("2 variants are called 'a'", dup.Message);
        var misfit = Assert.Throws<ShapeException>(() => new Sweep(input, [new("big-kernel", Conv(4, 9))]));
        Assert.Contains("Sweep variant 'big-kernel' on input 1×8×8", misfit.Message);
        Assert.Throws<ArgumentException>(() => new Sweep(input, []));
    }

    [Fact]
    public void Grey_images_fit_a_three_channel_32x32_input_centred_on_zeros()
    {
        var pixels = Enumerable.Range(1, 2 * 28 * 28).Select(i => (byte)(i % 251 + 1)).ToArray();
        var grey = Dataset.FromBytes(Shape.Image(1, 28, 28), pixels, [3, 7], 10);
        var rgb = DatasetFit.To(grey, Shape.Image(3, 32, 32));
        Assert.Equal(Shape.Image(3, 32, 32), rgb.SampleShape);
        Assert.Equal([3, 7], rgb.Labels.ToArray());
        var s = rgb.Sample(1);
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(0, s[c * 1024 + 1 * 32 + 1]);                          // border
            Assert.Equal(grey.Sample(1)[0], s[c * 1024 + 2 * 32 + 2]);          // first pixel, offset by 2 rows and columns
            Assert.Equal(grey.Sample(1)[27 * 28 + 27], s[c * 1024 + 29 * 32 + 29]);
        }
        Assert.Same(grey, DatasetFit.To(grey, grey.SampleShape));
        Assert.Throws<ShapeException>(() => DatasetFit.To(grey, Shape.Image(1, 20, 20)));
    }
}
