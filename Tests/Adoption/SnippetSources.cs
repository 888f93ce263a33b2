namespace Functional.Tests.Adoption;

/// <summary>
/// Turns snippets into the sources of one program per language, so that each language costs one compilation.
/// Each snippet becomes a method that the program calls in page order; a failure names the page and line. Lines
/// keep their numbers (#line), so a compile error points into the Markdown page.
/// </summary>
public static class SnippetSources
{
    /// <summary>File name → C# source: one static class per snippet, and Program.cs calling them.</summary>
    public static IReadOnlyDictionary<string, string> CSharp(IReadOnlyList<Snippet> snippets, Func<string, string> setup)
    {
        var files = new Dictionary<string, string>();
        var calls = new List<string>();
        for (var i = 0; i < snippets.Count; i++)
        {
            var s = snippets[i];
            var hidden = s.Setup is null ? [] : setup(s.Setup + ".cs").Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
            var usings = hidden.Concat(s.Code).Where(IsUsing).Distinct();
            var text = new List<string>(usings) { "namespace Snippets;", $"internal static class Snippet{i}", "{", "public static void Run()", "{", "#line hidden" };
            text.AddRange(hidden.Select(l => IsUsing(l) ? "" : l));
            text.Add($"#line {s.Line} \"{s.Page}\"");
            text.AddRange(s.Code.Select(l => IsUsing(l) ? "" : l));
            text.AddRange(["#line default", "}", "}"]);
            files[$"Snippet{i}.cs"] = string.Join("\n", text) + "\n";
            calls.Add($"    (\"{s.Name}\", Snippets.Snippet{i}.Run),");
        }
        files["Program.cs"] = string.Join("\n", [
            "var failures = 0;",
            "foreach (var (name, run) in new (string, Action)[] {", .. calls, "})",
            "{",
            "    try { run(); Console.WriteLine($\"ok   {name}\"); }",
            "    catch (Exception e) { failures++; Console.WriteLine($\"FAIL {name}: {e}\"); }",
            "}",
            "return failures == 0 ? 0 : 1;"]) + "\n";
        return files;
    }

    /// <summary>File name → F# source, in compilation order: one module per snippet with a run function, then Program.fs.</summary>
    public static IReadOnlyList<(string File, string Source)> FSharp(IReadOnlyList<Snippet> snippets, Func<string, string> setup)
    {
        var files = new List<(string, string)>();
        var calls = new List<string>();
        for (var i = 0; i < snippets.Count; i++)
        {
            var s = snippets[i];
            var hidden = s.Setup is null ? [] : setup(s.Setup + ".fs").Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
            // `open` must stay at module level; `#r`/`#i` are script directives, the project references the package.
            var opens = hidden.Concat(s.Code).Where(IsOpen).Distinct();
            var text = new List<string> { $"module Snippets.Snippet{i}" };
            text.AddRange(opens);
            text.Add("let run () =");
            text.AddRange(hidden.Select(l => IsOpen(l) || IsDirective(l) ? "" : "    " + l));
            text.Add($"# {s.Line} \"{s.Page}\"");
            text.AddRange(s.Code.Select(l => IsOpen(l) || IsDirective(l) ? "" : "    " + l));
            text.Add("    ()");
            files.Add(($"Snippet{i}.fs", string.Join("\n", text) + "\n"));
            calls.Add($"          \"{s.Name}\", Snippets.Snippet{i}.run");
        }
        files.Add(("Program.fs", string.Join("\n", [
            "module Snippets.Program",
            "[<EntryPoint>]",
            "let main _ =",
            "    let snippets =",
            "        [",
            .. calls,
            "        ]",
            "    let mutable failures = 0",
            "    for name, run in snippets do",
            "        try",
            "            run ()",
            "            printfn \"ok   %s\" name",
            "        with e ->",
            "            failures <- failures + 1",
            "            printfn \"FAIL %s: %O\" name e",
            "    if failures = 0 then 0 else 1"]) + "\n"));
        return files;
    }

    private static bool IsUsing(string line)
    {
        var comment = line.IndexOf("//", StringComparison.Ordinal);
        var t = (comment >= 0 ? line[..comment] : line).Trim();
        return t.StartsWith("using ") && t.EndsWith(';') && !t.StartsWith("using var ") && !t.Contains('(');
    }

    private static bool IsOpen(string line) => line.StartsWith("open ");

    private static bool IsDirective(string line) => line.StartsWith("#r ") || line.StartsWith("#i ");
}
