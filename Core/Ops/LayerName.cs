namespace Functional.Ops;

/// <summary>How an operation names itself at the start of an error message.</summary>
internal static class LayerName
{
    /// <summary><c>MaxPool2d</c> for the default, <c>MaxPool2d 'pool1'</c> for a named layer.</summary>
    public static string Of(string op, string? layer) =>
        string.IsNullOrEmpty(layer) || layer == op ? op : $"{op} '{layer}'";
}
