namespace Functional.Ops;

/// <summary>A loss value and its gradient with respect to the predictions (logits for cross-entropy).</summary>
/// <param name="Loss">The scalar loss as a rank-0 tensor.</param>
/// <param name="Gradient">∂loss/∂prediction, shaped like the prediction.</param>
public sealed record LossResult(Tensor Loss, Tensor Gradient)
{
    /// <summary>The loss as a number.</summary>
    public float Value => Loss.Span[0];
}

/// <summary>
/// A loss came out NaN or infinite. The message says where: the first sample and class whose input was not
/// finite, or the first sample whose own loss was not.
/// </summary>
public sealed class NonFiniteLossException : ArithmeticException
{
    /// <summary>Creates the exception with a message naming the offending sample.</summary>
    public NonFiniteLossException(string message, int sample) : base(message) => Sample = sample;

    /// <summary>The batch index where the non-finite value appeared (−1 if none could be singled out).</summary>
    public int Sample { get; }
}
