namespace Functional.Tests.Adoption;

/// <summary>
/// One fenced ```csharp or ```fsharp block of a Markdown page, with the directives of the HTML comment right above
/// its fence (docs/snippets.md describes the convention).
/// </summary>
/// <param name="Page">The page, relative to the repository root (README.md, docs/dsl.md).</param>
/// <param name="Line">The 1-based line of the block's first code line, for #line directives and messages.</param>
/// <param name="Setup">The hidden setup file's name under docs/snippets/, or null.</param>
public sealed record Snippet(string Page, int Line, string Language, IReadOnlyList<string> Code, string? Setup)
{
    /// <summary>"docs/dsl.md:12".</summary>
    public string Name => $"{Page}:{Line}";

    /// <summary>
    /// The blocks of <paramref name="markdown"/>, in order. A block may be indented (inside a list item): its lines
    /// lose the fence's indentation. Throws on an unknown directive or an unclosed fence, so a typo cannot silently
    /// drop a block.
    /// </summary>
    public static IReadOnlyList<Snippet> Parse(string page, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var snippets = new List<Snippet>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart();
            if (!fence.StartsWith("```")) continue;
            var indent = lines[i].Length - fence.Length;
            var language = fence[3..].Trim();
            var end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            if (end == lines.Length) throw new FormatException($"{page}:{i + 1}: the fence is never closed.");
            if (language is "csharp" or "fsharp")
            {
                var code = lines[(i + 1)..end].Select(l => l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l.TrimStart()).ToArray();
                snippets.Add(new Snippet(page, i + 2, language, code, SetupAbove(page, lines, i)));
            }
            i = end;
        }
        return snippets;
    }

    /// <summary>The fences of <paramref name="markdown"/> that open without a language (1-based lines).</summary>
    public static IEnumerable<int> UnlabelledFences(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var open = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var t = lines[i].Trim();
            if (!t.StartsWith("```")) continue;
            if (!open && t == "```") yield return i + 1;
            open = !open;
        }
    }

    private static string? SetupAbove(string page, string[] lines, int fence)
    {
        var above = fence > 0 ? lines[fence - 1].Trim() : "";
        const string prefix = "<!-- snippet:";
        if (!above.StartsWith(prefix)) return null;
        var words = above[prefix.Length..].Replace("-->", "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is ["setup", var name]) return name;
        throw new FormatException($"{page}:{fence}: unknown snippet directive '{above}'; the one directive is '<!-- snippet: setup NAME -->'.");
    }
}
