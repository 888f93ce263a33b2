using System.Text;

namespace Functional.Cli.Training;

/// <summary>
/// Writes through to another writer, starting every line with a fixed prefix: a distributed run's progress lines
/// carry their rank like its log lines, so that the interleaved output of several ranks stays attributable.
/// </summary>
internal sealed class LinePrefixWriter(TextWriter inner, string prefix) : TextWriter
{
    private bool lineStart = true;

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        if (lineStart && value is not ('\n' or '\r')) inner.Write(prefix);
        inner.Write(value);
        lineStart = value == '\n';
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();
}
