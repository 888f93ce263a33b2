using Functional.Cli.Training;

namespace Functional.Cli.Pictures;

/// <summary>curves.png, filters.png, activations.png and confusion.png in the run folder, redrawn after every
/// epoch (the confusion matrix costs one more inference pass over the test set).</summary>
public sealed class PicturesArtifact : IRunArtifact
{
    /// <inheritdoc />
    public string Name => string.Join(", ", RunFolderPictures.FileNames);

    /// <inheritdoc />
    public void AfterEpoch(RunSnapshot snapshot)
    {
        var h = snapshot.History;
        var curves = new Curves([.. h.Select(r => r.TrainLoss)], [.. h.Select(r => r.TestLoss)],
            [.. h.Select(r => r.TrainAccuracy)], [.. h.Select(r => r.TestAccuracy)]);
        RunFolderPictures.Write(snapshot.Directory, snapshot.Model, curves, snapshot.Test, snapshot.Normalization);
    }
}
