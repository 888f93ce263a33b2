using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Functional.Tests;

/// <summary>
/// The committed mutants stay usable as the code they break moves on: every patch still applies to the tree, and
/// every test its <c>Tests:</c> line selects still exists. Without this a refactoring silently turns a mutant into
/// one that no longer builds (which the mutation check counts as not caught) or selects nothing.
/// </summary>
public class MutantPatchTests
{
    private static readonly string Root = ConformanceTests.RepoRoot();

    public static TheoryData<string> Patches()
    {
        var data = new TheoryData<string>();
        foreach (var p in Directory.GetFiles(Path.Combine(Root, "mutants"), "*.patch").Order()) data.Add(Path.GetFileName(p));
        return data;
    }

    [Theory]
    [MemberData(nameof(Patches))]
    public void The_patch_applies_to_the_tree(string patch)
    {
        var info = new ProcessStartInfo("git", ["apply", "--check", Path.Combine("mutants", patch)])
        {
            WorkingDirectory = Root, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var git = Process.Start(info)!;
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        Assert.True(git.ExitCode == 0, $"mutants/{patch} no longer applies; rewrite it against today's code:\n{error}");
    }

    [Theory]
    [MemberData(nameof(Patches))]
    public void Every_selected_test_exists(string patch)
    {
        var line = File.ReadLines(Path.Combine(Root, "mutants", patch)).FirstOrDefault(l => l.StartsWith("Tests:", StringComparison.Ordinal));
        Assert.True(line is not null, $"mutants/{patch} has no 'Tests:' line.");
        var selectors = line!["Tests:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(selectors);
        foreach (var selector in selectors)
        {
            var (project, name) = (selector.Split(':')[0], selector.Split(':')[^1]);
            var (cls, method) = name.Contains('.') ? (name[..name.IndexOf('.')], name[(name.IndexOf('.') + 1)..]) : (name, null);
            var sources = Directory.GetFiles(Path.Combine(Root, project), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
                .Select(File.ReadAllText)
                .Where(s => Regex.IsMatch(s, $@"\bclass {Regex.Escape(cls)}\b"))
                .ToArray();
            Assert.True(sources.Length > 0, $"mutants/{patch} selects {selector}, but {project}/ has no class {cls}.");
            if (method is not null)
                Assert.True(sources.Any(s => Regex.IsMatch(s, $@"\b{Regex.Escape(method)}\(")),
                    $"mutants/{patch} selects {selector}, but class {cls} has no method {method}.");
        }
    }
}
