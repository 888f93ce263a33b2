namespace Functional.Backends;

/// <summary>
/// Thrown by a backend entry whose geometry and buffers do not agree (see <see cref="SeamChecks"/>): a length that
/// differs from the geometry's, a negative or zero extent, a group count that does not divide the channels, or an
/// index range beyond 32 bits. It reports a bug in whatever built the geometry, never bad user input: the shape
/// rules reject bad hyper-parameters with a <see cref="ShapeException"/> before any geometry exists. The message
/// names the entry, the geometry and the buffer lengths.
/// </summary>
public sealed class GeometryException : ArgumentException
{
    /// <summary>Creates the exception with a complete message.</summary>
    public GeometryException(string message) : base(message) { }
}
