using System.CommandLine;
using Functional.Cli.Options;
using System.Globalization;
using Functional.Cli.Pictures;
using Functional.Data;

namespace Functional.Cli.Commands;

/// <summary><c>pictures edge</c>: the teaching pictures that need no trained network.</summary>
internal static partial class PicturesCommand
{
    /// <summary>Where the repository keeps a 200-image cut of the test set, used when the full dataset is absent.</summary>
    internal const string FixtureDirectory = "Tests/Fixtures/fashion-mnist-small";

    public static Command Create() => new("pictures", "Draw teaching pictures as PNG files.")
    {
        Edge(),
        UNetDemo(),
    };

    private static Command Edge()
    {
        var data = new Option<string?>("--data") { Description = $"Folder with the Fashion-MNIST test files (default {FashionMnist.DebianDirectory})." };
        var index = new Option<int>("--index") { Description = "Which test image to filter (default 2, a pair of trousers: two long vertical outlines).", DefaultValueFactory = _ => 2 }.Invariant();
        var output = new Option<string>("--out") { Description = "Folder for the PNG files (created if needed).", DefaultValueFactory = _ => "runs/pictures" };
        var command = new Command("edge", "Apply the vertical-edge filter [[1,0,−1]]×3 to a test image; write the input and the response as PNG.")
        {
            data, index, output,
        };
        command.SetAction(r => CliErrors.Guard(r, stdout =>
        {
            var test = LoadTest(r.GetValue(data), r.InvocationConfiguration.Error);
            var pictures = EdgeExample.Run(test, r.GetValue(index));
            var dir = r.GetValue(output)!;
            var inputPath = Path.Combine(dir, "edge-input.png");
            var responsePath = Path.Combine(dir, "edge-response.png");
            pictures.InputPicture.Save(inputPath);
            pictures.ResponsePicture.Save(responsePath);
            var values = pictures.Response.Span;
            float lo = float.MaxValue, hi = float.MinValue;
            foreach (var v in values) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"response {pictures.Response.Shape[2]}×{pictures.Response.Shape[3]}, from {lo:F3} to {hi:F3}"));
            stdout.WriteLine(inputPath);
            stdout.WriteLine(responsePath);
            return 0;
        }));
        return command;
    }

    /// <summary>The test split from <paramref name="explicitDirectory"/>, or else the Debian folder, or else (when
    /// <paramref name="allowFixture"/>, with a note on <paramref name="log"/>) the repository's small fixture.</summary>
    /// <exception cref="UsageException">No usable folder, or an empty test split; the message says what to do.</exception>
    /// <exception cref="InvalidDataException">A test file is corrupt; the message names it.</exception>
    internal static Dataset LoadTest(string? explicitDirectory, TextWriter log, bool allowFixture = true) =>
        LoadTest(explicitDirectory, log, allowFixture ? FixtureDirectory : null, FashionMnist.DebianDirectory);

    /// <summary>As above, with the default and fallback folders given (tests point them at temporary folders).</summary>
    internal static Dataset LoadTest(string? explicitDirectory, TextWriter log, string? fixture, string defaultDirectory)
    {
        var dir = explicitDirectory ?? defaultDirectory;
        if (!HasTest(dir))
        {
            var missing = $"{dir} does not hold {FashionMnist.TestImages} and {FashionMnist.TestLabels}";
            if (explicitDirectory is not null || fixture is null || !HasTest(fixture))
                throw new UsageException($"{missing}. Install them with 'apt-get install -y dataset-fashion-mnist', or point --data at a folder holding them.");
            log.WriteLine($"note: {missing} (apt-get install -y dataset-fashion-mnist); using the small test set in {fixture} instead.");
            dir = fixture;
        }
        var images = Path.Combine(dir, FashionMnist.TestImages);
        var test = Idx.ReadDataset(images, Path.Combine(dir, FashionMnist.TestLabels), 10);
        return test.Count > 0 ? test : throw new UsageException($"{images}: holds no images; the test split needs at least one.");
    }

    /// <summary>The path of the test images <see cref="LoadTest(string?, TextWriter, bool)"/> reads, for messages.</summary>
    internal static string TestImagesPath(string? explicitDirectory) => Path.Combine(explicitDirectory ?? FashionMnist.DebianDirectory, FashionMnist.TestImages);

    private static bool HasTest(string dir) =>
        File.Exists(Path.Combine(dir, FashionMnist.TestImages)) && File.Exists(Path.Combine(dir, FashionMnist.TestLabels));
}
