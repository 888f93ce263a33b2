namespace Functional.Io.Onnx;

/// <summary>
/// An ONNX file cannot be imported: it is truncated or corrupt, its graph has a cycle or a missing initializer,
/// shapes do not match, or a node uses an operator (or an attribute value) outside the supported subset. The
/// message names the file and, where there is one, the node, its op type and the opset.
/// </summary>
public sealed class OnnxFormatException(string message, Exception? inner = null) : FormatException(message, inner);
