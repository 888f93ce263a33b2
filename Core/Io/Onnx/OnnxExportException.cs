namespace Functional.Io.Onnx;

/// <summary>
/// A network cannot be written as ONNX: some layer has no expression in the supported operators. The message names
/// the layer's parameter path, so the caller knows which layer to replace; no file is written.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>An export error at <paramref name="path"/> (empty for the whole network).</summary>
    public OnnxExportException(string path, string message)
        : base($"ONNX export: layer '{(path.Length == 0 ? "(root)" : path)}': {message}") => Path = path;

    /// <summary>The parameter path of the layer that cannot be exported ("" for the root).</summary>
    public string Path { get; }
}
