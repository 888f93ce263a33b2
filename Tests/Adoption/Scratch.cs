using System.Diagnostics;

namespace Functional.Tests.Adoption;

/// <summary>
/// A throw-away folder outside the repository (so its Directory.Build.props and Paket stay out of it) whose
/// nuget.config adds artifacts/packages as a source beside the machine's configured feeds (it writes no address),
/// with a packages folder of its own under artifacts/, so a repacked 0.1.0 is never served stale from the user's
/// global cache.
/// </summary>
public sealed class Scratch : IDisposable
{
    /// <summary>Creates the folder and its nuget.config; links the committed data extract in as ./fashion-mnist.</summary>
    public Scratch(string repo)
    {
        Repo = repo;
        Folder = Directory.CreateTempSubdirectory("functional-adopt-").FullName;
        File.WriteAllText(Path.Combine(Folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="functional-local" value="{Packages.Folder(repo)}" />
              </packageSources>
            </configuration>
            """);
        File.CreateSymbolicLink(Path.Combine(Folder, "fashion-mnist"), Path.Combine(repo, "Tests", "Fixtures", "fashion-mnist-small"));
    }

    /// <summary>The repository root.</summary>
    public string Repo { get; }

    /// <summary>The scratch folder.</summary>
    public string Folder { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> inside the folder.</summary>
    public void Write(string name, string text) => File.WriteAllText(Path.Combine(Folder, name), text);

    /// <summary>Runs <c>dotnet <paramref name="arguments"/></c> in the folder; returns the exit code and all output.</summary>
    public (int Code, string Output) Dotnet(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["NUGET_PACKAGES"] = Packages.Cache(Repo);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's MSBuild settings would leak into the child build otherwise.
        foreach (var key in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" }) start.Environment.Remove(key);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Removes the folder.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } // a straggling build server may hold a file
    }
}
