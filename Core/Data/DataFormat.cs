namespace Functional.Data;

/// <summary>
/// Builds the one error a corrupt dataset file gives: an <see cref="InvalidDataException"/> (sealed in .NET, so not
/// subclassed) whose message starts with the file's path and states the numbers expected and found, so the fix
/// (re-download, point at the right folder) is obvious.
/// </summary>
internal static class DataFormat
{
    public static InvalidDataException Error(string path, string problem, Exception? inner = null) =>
        new($"{path}: {problem}", inner);
}
