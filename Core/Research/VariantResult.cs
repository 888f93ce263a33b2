namespace Functional.Research;

/// <summary>What a short training run of one variant gave.</summary>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="TestAccuracy">Fraction of the test set classified correctly after the last epoch.</param>
/// <param name="Seconds">Wall time of the training steps (evaluation excluded).</param>
/// <param name="ImagesPerSecond">Training samples per second over those steps.</param>
public sealed record TrainingOutcome(int Epochs, double TestAccuracy, double Seconds, double ImagesPerSecond);

/// <summary>
/// One row of a sweep: the static figures of a variant (from shapes alone), its probe values on the initialised
/// model, and the training outcome when the sweep trained.
/// </summary>
/// <param name="Name">The variant's name.</param>
/// <param name="Group">The variant's group.</param>
/// <param name="Parameters">Trainable parameters.</param>
/// <param name="MultAdds">Multiply-accumulates of one sample's forward pass.</param>
/// <param name="ReceptiveField">The receptive field size per spatial dim of the last layer whose output is still
/// an image (empty when no layer's is, as in an MLP).</param>
/// <param name="GlobalField">True when the output sees the whole input (after flatten, dense or global pooling),
/// in which case <paramref name="ReceptiveField"/> is the field of the last layer that still had one.</param>
/// <param name="ActivationBytes">Bytes of every layer's output for one sample, in float32.</param>
/// <param name="ProbeValues">One value per probe of the sweep, in order.</param>
/// <param name="Training">The training outcome, or null when the sweep did not train.</param>
public sealed record VariantResult(string Name, string Group, long Parameters, long MultAdds, IReadOnlyList<long> ReceptiveField,
    bool GlobalField, long ActivationBytes, IReadOnlyList<double> ProbeValues, TrainingOutcome? Training)
{
    /// <summary>The receptive field as text: <c>5×5</c>, with a trailing "+" marking a global output.</summary>
    public string FieldText => ReceptiveField.Count == 0 ? "—" : string.Join("×", ReceptiveField);
}
