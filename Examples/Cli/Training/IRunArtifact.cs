using Functional.Data;
using Functional.Network;
using Functional.Training;

namespace Functional.Cli.Training;

/// <summary>
/// Something a training run leaves in its run folder (<c>runs/&lt;timestamp&gt;/</c>): the history table, a
/// checkpoint, pictures. The run calls every artifact after every epoch, in the order they were given, so a run
/// stopped at any point has an up-to-date folder. An artifact writes its files atomically (Core/Io/AtomicFile),
/// overwriting its previous version, and throws on failure, which stops the run with its message.
/// </summary>
public interface IRunArtifact
{
    /// <summary>A short name for logs, e.g. <c>history.csv</c>.</summary>
    string Name { get; }

    /// <summary>Writes (or rewrites) this artifact for the state of the run after an epoch.</summary>
    void AfterEpoch(RunSnapshot snapshot);
}

/// <summary>The state of a run after one epoch: everything an artifact needs, as immutable values.</summary>
/// <param name="Directory">The run folder, which exists; artifacts write inside it.</param>
/// <param name="Epoch">The epoch just finished, counting from 1.</param>
/// <param name="Epochs">The number of epochs the run was asked for (early stopping may end it sooner).</param>
/// <param name="History">One record per finished epoch, oldest first; the last one is <paramref name="Epoch"/>'s.</param>
/// <param name="Model">The model after this epoch (parameters, state, architecture and execution context).</param>
/// <param name="Test">The held-out set, as raw bytes.</param>
/// <param name="Normalization">How the run turns pixels into network inputs; apply it to <paramref name="Test"/>
/// (e.g. <c>DataLoader.Over(test, n).Normalized(normalization)</c>) before running the model.</param>
public sealed record RunSnapshot(string Directory, int Epoch, int Epochs, IReadOnlyList<EpochRecord> History, Model Model, Dataset Test,
    Normalization Normalization)
{
    /// <summary>The record of the epoch just finished.</summary>
    public EpochRecord Last => History[^1];

    /// <summary>The point the run can be resumed from after this epoch, when the run provides one.</summary>
    public ResumePoint? Resume { get; init; }

    /// <summary>The run's settings, recorded in the checkpoint so <c>train --resume</c> can restore them.</summary>
    internal TrainSettings? Settings { get; init; }
}
