namespace Functional;

/// <summary>
/// Thrown when shapes or hyper-parameters break a rule of the shape algebra. The message names the layer (when
/// known), the shapes involved and the rule, with the numbers filled in.
/// </summary>
public sealed class ShapeException : ArgumentException
{
    /// <summary>Creates the exception with a complete, human-readable message.</summary>
    public ShapeException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping an inner cause.</summary>
    public ShapeException(string message, Exception inner) : base(message, inner) { }
}
