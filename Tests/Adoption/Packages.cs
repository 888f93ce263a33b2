using System.Diagnostics;

namespace Functional.Tests.Adoption;

/// <summary>
/// The packed packages in artifacts/packages: packed again when missing or older than the built DLLs, so the
/// consumer tests always restore what this build compiled.
/// </summary>
public static class Packages
{
    private static readonly object Gate = new();
    private static bool fresh;

    /// <summary>The library packages the consumer tests restore.</summary>
    public static readonly string[] Libraries = ["Functional.Core", "Functional.Dsl", "Functional.FSharp", "Functional.Laws"];

    // The project folder each library is built in.
    private static string ProjectFolder(string id) => id switch
    {
        "Functional.Core" => "Core",
        "Functional.Dsl" => "Dsl",
        "Functional.FSharp" => "FSharp",
        _ => "Laws",
    };

    /// <summary>artifacts/packages under <paramref name="repo"/>.</summary>
    public static string Folder(string repo) => Path.Combine(repo, "artifacts", "packages");

    /// <summary>The consumer tests' own NuGet packages folder (artifacts/consumer-packages).</summary>
    public static string Cache(string repo) => Path.Combine(repo, "artifacts", "consumer-packages");

    /// <summary>The package version, read from Directory.Build.props.</summary>
    public static string Version(string repo) =>
        File.ReadLines(Path.Combine(repo, "Directory.Build.props")).Select(l => l.Trim())
            .First(l => l.StartsWith("<Version>"))["<Version>".Length..^"</Version>".Length];

    /// <summary>Packs if needed and clears this version of the libraries from the consumer cache; once per process.</summary>
    public static void EnsureFresh(string repo)
    {
        lock (Gate)
        {
            if (fresh) return;
            var version = Version(repo);
            var stale = Libraries.Any(id =>
            {
                var package = Path.Combine(Folder(repo), $"{id}.{version}.nupkg");
                var dll = Path.Combine(repo, ProjectFolder(id), "bin", "Release", "net10.0", $"{id}.dll");
                return !File.Exists(package) || File.GetLastWriteTimeUtc(package) < File.GetLastWriteTimeUtc(dll);
            });
            if (stale) Pack(repo);
            foreach (var id in Libraries)
            {
                var cached = Path.Combine(Cache(repo), id.ToLowerInvariant());
                if (Directory.Exists(cached)) Directory.Delete(cached, recursive: true);
            }
            fresh = true;
        }
    }

    private static void Pack(string repo)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "pack", "Functional.sln", "-c", "Release", "--no-build", "--no-restore", "-nologo", "-v:q" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet pack failed:\n{stdout}{stderr.Result}");
    }
}
