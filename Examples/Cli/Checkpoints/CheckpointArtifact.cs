using Functional.Cli.Training;

namespace Functional.Cli.Checkpoints;

/// <summary><c>model.safetensors</c> in the run folder, rewritten atomically after every epoch with that epoch's
/// model and the test accuracy the run reported for it, so <c>evaluate --checkpoint</c> can reproduce it; beside
/// it, the training state <c>train --resume</c> continues from.</summary>
public sealed class CheckpointArtifact : IRunArtifact
{
    /// <inheritdoc />
    public string Name => RunCheckpoint.FileName;

    /// <inheritdoc />
    public void AfterEpoch(RunSnapshot snapshot) =>
        RunCheckpoint.Save(snapshot.Directory, snapshot.Model, snapshot.Normalization, snapshot.Epoch, snapshot.Last.TestAccuracy,
            snapshot.Test.Count, snapshot.Last.Steps, snapshot.Resume, snapshot.Settings);
}
