namespace Functional.Training;

/// <summary>
/// Training produced a NaN or an infinity. The message names the optimizer step (and epoch) where it first
/// appeared and the first tensor, in layer order, that holds it: a gradient, an updated parameter, or the loss.
/// Training stops there, so the model from the previous step is still the last good one.
/// </summary>
public sealed class NonFiniteTrainingException : ArithmeticException
{
    /// <summary>Creates the exception; <paramref name="path"/> is the tree path (or <c>loss</c>) holding the value.</summary>
    public NonFiniteTrainingException(long step, int epoch, string path, string message, Exception? inner = null)
        : base(message, inner)
    {
        Step = step;
        Epoch = epoch;
        Path = path;
    }

    /// <summary>The optimizer step (0-based, counted over all epochs) whose computation went non-finite.</summary>
    public long Step { get; }

    /// <summary>The epoch (from 1) of that step.</summary>
    public int Epoch { get; }

    /// <summary>Where the value appeared: a gradient or parameter path such as <c>0.weight</c>, or <c>loss</c>.</summary>
    public string Path { get; }
}
