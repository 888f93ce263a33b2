using Functional.Tests.Support;
using Functional.Cli;
using Functional.Cli.Pictures;
using Functional.Data;
using Xunit;

namespace Functional.Tests;

/// <summary><c>pictures edge</c> on the committed Fashion-MNIST fixture, checked against sums done by hand.</summary>
public class PicturesEdgeTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");

    private static Dataset Test() => Idx.ReadDataset(Path.Combine(Fixture, FashionMnist.TestImages), Path.Combine(Fixture, FashionMnist.TestLabels), 10);

    private static (int Exit, string Out, string Err) Run(params string[] args) => InProcessCli.Run(args);

    [Fact]
    public void Response_is_left_column_minus_right_column_of_every_window()
    {
        var test = Test();
        var pixels = test.Sample(2);
        var response = EdgeExample.Run(test, 2).Response;
        Assert.Equal(Shape.Images(1, 1, 26, 26), response.Shape);
        for (var y = 0; y < 26; y++)
            for (var x = 0; x < 26; x++)
            {
                var sum = 0f;
                for (var r = 0; r < 3; r++)
                    sum += pixels[(y + r) * 28 + x] / 255f - pixels[(y + r) * 28 + x + 2] / 255f;
                Assert.True(Math.Abs(sum - response[0, 0, y, x]) < 1e-5f, $"response at ({y}, {x}) is {response[0, 0, y, x]}, by hand {sum}");
            }
    }

    [Fact]
    public void Trousers_light_up_negative_on_their_left_outline_and_positive_on_their_right()
    {
        var test = Test();
        Assert.Equal("Trouser", FashionMnist.ClassNames[test.Label(2)]);
        var response = EdgeExample.Run(test, 2).Response;
        // Along the middle row, the first strong response (dark background to light cloth) is negative and the last
        // (light cloth to dark background) positive; the flat background columns at both ends give exactly zero.
        var row = Enumerable.Range(0, 26).Select(x => response[0, 0, 13, x]).ToArray();
        var strong = row.Select((v, x) => (v, x)).Where(p => Math.Abs(p.v) > 1f).ToArray();
        Assert.True(strong.Length >= 2, $"row 13 has too few strong responses: [{string.Join(", ", row)}]");
        Assert.True(strong[0].v < 0 && strong[^1].v > 0, $"row 13: [{string.Join(", ", row)}]");
        Assert.Equal(0f, row[0]);
        Assert.Equal(0f, row[^1]);
    }

    [Fact]
    public void Command_writes_two_valid_pngs_and_prints_their_paths()
    {
        var dir = Directory.CreateTempSubdirectory("edge").FullName;
        try
        {
            var (exit, output, error) = Run("pictures", "edge", "--data", Fixture, "--out", dir);
            Assert.True(exit == 0, error);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal("response 26×26, from -3.000 to 3.000", lines[0]);
            Assert.Equal([Path.Combine(dir, "edge-input.png"), Path.Combine(dir, "edge-response.png")], lines[1..]);
            var expected = EdgeExample.Run(Test(), 2);
            foreach (var (path, picture) in new[] { (lines[1], expected.InputPicture), (lines[2], expected.ResponsePicture) })
            {
                var png = PicturesPngReader.Decode(File.ReadAllBytes(path));
                Assert.Equal((picture.Width, picture.Height), (png.Width, png.Height));
                Assert.Equal(picture.Pixels.ToArray(), png.Pixels);
            }
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Without_the_debian_files_the_fixture_is_used_with_a_note_unless_forbidden()
    {
        var log = new StringWriter();
        var test = Functional.Cli.Commands.PicturesCommand.LoadTest(null, log, Fixture, "/no/debian/files");
        Assert.Equal(200, test.Count);
        Assert.Equal($"note: /no/debian/files does not hold t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz " +
            $"(apt-get install -y dataset-fashion-mnist); using the small test set in {Fixture} instead.", log.ToString().Trim());

        var e = Assert.Throws<UsageException>(() => Functional.Cli.Commands.PicturesCommand.LoadTest(null, log, null, "/no/debian/files"));
        Assert.StartsWith("/no/debian/files does not hold", e.Message);
    }

    [Fact]
    public void Missing_data_and_a_bad_index_are_one_line_errors()
    {
        var (exit, _, error) = Run("pictures", "edge", "--data", "/no/such/folder");
        Assert.Equal(CliErrors.UsageExitCode, exit);
        Assert.Contains("/no/such/folder does not hold t10k-images-idx3-ubyte.gz", error);
        Assert.Contains("apt-get install -y dataset-fashion-mnist", error);

        (exit, _, error) = Run("pictures", "edge", "--data", Fixture, "--index", "200");
        Assert.Equal(CliErrors.UsageExitCode, exit);
        Assert.Equal("error: --index 200: the test set has 200 images (0..199).", error.Trim());
    }
}
