using Xunit;

namespace Functional.Tests.Adoption;

public class SnippetParsingTests
{
    [Fact]
    public void Blocks_are_found_with_their_first_code_line_language_and_setup()
    {
        var page = "intro\n```csharp\nvar a = 1;\n```\n<!-- snippet: setup data -->\n```fsharp\nlet b = 2\n```\n```sh\nls\n```\n";
        var snippets = Snippet.Parse("p.md", page);
        Assert.Equal(2, snippets.Count);
        Assert.Equal(("csharp", 3, null, "var a = 1;"), (snippets[0].Language, snippets[0].Line, snippets[0].Setup, snippets[0].Code.Single()));
        Assert.Equal(("fsharp", 7, "data", "let b = 2"), (snippets[1].Language, snippets[1].Line, snippets[1].Setup, snippets[1].Code.Single()));
    }

    [Fact]
    public void A_block_inside_a_list_item_loses_the_fence_indentation()
    {
        var snippets = Snippet.Parse("p.md", "- item:\n\n  ```csharp\n  var a = 1;\n    var b = 2;\n  ```\n");
        Assert.Equal(["var a = 1;", "  var b = 2;"], snippets.Single().Code);
    }

    [Fact]
    public void An_unknown_directive_or_an_unclosed_fence_is_an_error_not_a_skipped_block()
    {
        Assert.Contains("unknown snippet directive", Assert.Throws<FormatException>(() => Snippet.Parse("p.md", "<!-- snippet: skip -->\n```csharp\nx\n```\n")).Message);
        Assert.Contains("never closed", Assert.Throws<FormatException>(() => Snippet.Parse("p.md", "```csharp\nx\n")).Message);
    }

    [Fact]
    public void Every_fence_in_the_readme_and_docs_names_its_language()
    {
        var unlabelled = Pages.All().SelectMany(p => Snippet.UnlabelledFences(File.ReadAllText(Path.Combine(Pages.Repo, p))).Select(l => $"{p}:{l}")).ToArray();
        Assert.True(unlabelled.Length == 0, "fences without a language (use text, sh, csharp, fsharp, …): " + string.Join(", ", unlabelled));
    }

    [Fact]
    public void Every_setup_a_page_names_exists()
    {
        var missing = Pages.Snippets().Where(s => s.Setup is not null)
            .Where(s => !File.Exists(Path.Combine(Pages.Repo, "docs", "snippets", s.Setup + (s.Language == "csharp" ? ".cs" : ".fs"))))
            .Select(s => s.Name).ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_csharp_program_keeps_page_lines_and_hoists_usings()
    {
        var s = new Snippet("docs/x.md", 10, "csharp", ["using Functional;", "using E = Functional.Backends.ExecutionContext;   // why", "var a = 1;"], null);
        var source = SnippetSources.CSharp([s], _ => "")["Snippet0.cs"];
        Assert.StartsWith("using Functional;\nusing E = Functional.Backends.ExecutionContext;   // why\nnamespace Snippets;", source);
        Assert.Contains("#line 10 \"docs/x.md\"\n\n\nvar a = 1;", source);
    }

    [Fact]
    public void The_fsharp_program_keeps_opens_at_module_level_and_drops_script_directives()
    {
        var s = new Snippet("docs/x.md", 4, "fsharp", ["#r \"nuget: Functional.FSharp\"", "open Functional.FSharp", "let a = 1"], "data");
        var source = SnippetSources.FSharp([s], _ => "let dir = \"d\"")[0].Source;
        Assert.Equal("module Snippets.Snippet0\nopen Functional.FSharp\nlet run () =\n    let dir = \"d\"\n# 4 \"docs/x.md\"\n\n\n    let a = 1\n    ()\n", source);
    }
}

/// <summary>The pages whose snippets are compiled: README.md and docs/*.md.</summary>
internal static class Pages
{
    public static string Repo { get; } = ConformanceTests.RepoRoot();

    public static IEnumerable<string> All() =>
        new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(Repo, "docs"), "*.md").Select(f => Path.GetRelativePath(Repo, f)).Order());

    public static IReadOnlyList<Snippet> Snippets(string? language = null) =>
        All().SelectMany(p => Snippet.Parse(p, File.ReadAllText(Path.Combine(Repo, p)))).Where(s => language is null || s.Language == language).ToArray();

    public static string Setup(string file) => File.ReadAllText(Path.Combine(Repo, "docs", "snippets", file));
}
