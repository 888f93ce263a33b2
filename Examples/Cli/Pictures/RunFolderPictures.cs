using Functional.Cli.Evaluation;
using Functional.Data;
using Functional.Network;

namespace Functional.Cli.Pictures;

/// <summary>A run's history so far, one value per finished epoch, oldest first.</summary>
internal sealed record Curves(IReadOnlyList<double> TrainLoss, IReadOnlyList<double> TestLoss, IReadOnlyList<double> TrainAccuracy, IReadOnlyList<double> TestAccuracy);

/// <summary>
/// Writes the four pictures of a run folder (each atomically, replacing the previous epoch's): curves.png,
/// filters.png, activations.png and confusion.png.
/// </summary>
internal static class RunFolderPictures
{
    /// <summary>The file names, in the order <see cref="Write"/> returns their paths.</summary>
    public static readonly string[] FileNames = ["curves.png", "filters.png", "activations.png", "confusion.png"];

    /// <summary>How many test images activations.png shows.</summary>
    public const int ActivationImages = 4;

    /// <summary>Draws and writes the four pictures; returns their paths.</summary>
    /// <param name="confusion">The test set's confusion matrix, when the caller already has it (else it is computed).</param>
    public static IReadOnlyList<string> Write(string directory, Model model, Curves curves, Dataset test, Normalization normalization, int[,]? confusion = null)
    {
        var conv1 = FirstConv.Of(model);
        var indices = Showcase(test, ActivationImages);
        var shown = test.Select(indices);
        var images = shown.Images(0, shown.Count);
        var inputs = DataLoader.Over(shown, shown.Count).Normalized(normalization).Epoch(0).Single().Images;
        var captions = indices.Select(i => $"{i}: {Name(test, test.Label(i))}").ToArray();
        confusion ??= Evaluator.Run(model, test, normalization).Confusion;
        var names = Enumerable.Range(0, test.Classes).Select(c => Name(test, c)).ToArray();

        var pictures = new[]
        {
            RunPictures.Curves(curves.TrainLoss, curves.TestLoss, curves.TrainAccuracy, curves.TestAccuracy),
            RunPictures.Filters(conv1.Weight, $"conv1 filters ({conv1.Weight.Shape})"),
            RunPictures.Activations(images, captions, conv1.Activations(inputs), $"conv1 activation maps: {conv1.Title}"),
            RunPictures.Confusion(confusion, names),
        };
        var paths = FileNames.Select(f => Path.Combine(directory, f)).ToArray();
        for (var i = 0; i < paths.Length; i++) pictures[i].Save(paths[i]);
        return paths;
    }

    // The first test image of each class in turn, so the rows show different garments.
    private static int[] Showcase(Dataset test, int count)
    {
        var picked = new List<int>();
        var seen = new HashSet<int>();
        for (var i = 0; i < test.Count && picked.Count < count; i++)
            if (seen.Add(test.Label(i))) picked.Add(i);
        for (var i = 0; i < test.Count && picked.Count < count; i++)
            if (!picked.Contains(i)) picked.Add(i);
        return [.. picked];
    }

    private static string Name(Dataset test, int label) =>
        test.Classes == FashionMnist.ClassNames.Count ? FashionMnist.ClassNames[label] : $"class {label}";
}
