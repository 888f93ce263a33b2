using System.IO.Compression;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit;

namespace Functional.Tests.Adoption;

/// <summary>
/// The packages as a user meets them: their metadata, and fresh projects outside the repository that restore them
/// from artifacts/packages and compile and run every documented snippet (one program per language; the law kit's
/// snippets, one more against the Functional.Laws package), and the training script run by <c>dotnet fsi</c>. Slow (each restores and compiles a project): trait Category=Packages.
/// </summary>
[Trait("Category", "Packages")]
public class PackageTests
{
    private static readonly string Repo = Pages.Repo;

    public PackageTests() => Packages.EnsureFresh(Repo);

    [Theory]
    [InlineData("Functional.Core", new[] { "Google.Protobuf", "ILGPU", "Microsoft.Extensions.Logging" })]
    [InlineData("Functional.Dsl", new[] { "Functional.Core", "Microsoft.Extensions.Logging" })]
    [InlineData("Functional.FSharp", new[] { "Functional.Core", "Functional.Dsl", "FSharp.Core" })]
    [InlineData("Functional.Laws", new[] { "Functional.Core", "Functional.Dsl", "FsCheck" })]
    public void A_package_carries_its_readme_licence_xml_docs_embedded_symbols_and_dependencies(string id, string[] dependencies)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(Packages.Folder(Repo), $"{id}.{Packages.Version(Repo)}.nupkg"));
        var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.Contains(zip.Entries, e => e.FullName == "README.md" && e.Length > 1000);
        Assert.Equal(dependencies.Order(), metadata.Descendants(ns + "dependency").Select(d => d.Attribute("id")!.Value).Order());
        Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{id}.xml" && e.Length > 1000);

        using var dll = new MemoryStream();
        zip.Entries.Single(e => e.FullName == $"lib/net10.0/{id}.dll").Open().CopyTo(dll);
        dll.Position = 0;
        using var pe = new PEReader(dll);
        Assert.Contains(pe.ReadDebugDirectory(), d => d.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
    }

    [Fact]
    public void Every_csharp_snippet_compiles_and_runs_in_a_fresh_console_project() =>
        RunCSharp(Pages.Snippets("csharp").Where(s => s.Setup != LawKit).ToArray(),
            $"""<PackageReference Include="Functional.Dsl" Version="{Packages.Version(Repo)}" />""");

    /// <summary>
    /// The law kit's snippets form a program of their own that restores Functional.Laws (and through it FsCheck)
    /// from the packages, as a user's test project does; FsCheck.Xunit is added for the <c>[Property]</c> form.
    /// </summary>
    [Fact]
    public void Every_law_kit_snippet_compiles_and_runs_against_the_Functional_Laws_package() =>
        RunCSharp(Pages.Snippets("csharp").Where(s => s.Setup == LawKit).ToArray(),
            $"""
            <PackageReference Include="Functional.Laws" Version="{Packages.Version(Repo)}" />
                <PackageReference Include="FsCheck.Xunit" Version="{FsCheckXunitVersion}" />
            """);

    // The FsCheck.Xunit the repository itself pins (paket.lock), so the snippets compile against what the laws run on.
    private static string FsCheckXunitVersion => File.ReadLines(Path.Combine(Repo, "paket.lock"))
        .Select(l => l.Trim()).First(l => l.StartsWith("FsCheck.Xunit (", StringComparison.Ordinal))["FsCheck.Xunit (".Length..^1];

    private const string LawKit = "laws";

    private static void RunCSharp(IReadOnlyList<Snippet> snippets, string reference, string properties = "")
    {
        Assert.NotEmpty(snippets);
        using var scratch = new Scratch(Repo);
        scratch.Write("Snippets.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <!-- Snippets show a value without always using it. -->
                <NoWarn>CS0168;CS0219;CS8321</NoWarn>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>
            """);
        foreach (var (file, source) in SnippetSources.CSharp(snippets, Pages.Setup)) scratch.Write(file, source);
        AssertAllRan(scratch.Dotnet("run", "-c", "Release"), snippets);
    }

    [Fact]
    public void Every_fsharp_snippet_compiles_and_runs_in_a_fresh_fsharp_project()
    {
        var snippets = Pages.Snippets("fsharp");
        using var scratch = new Scratch(Repo);
        var sources = SnippetSources.FSharp(snippets, Pages.Setup);
        scratch.Write("Snippets.fsproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <!-- FS1182 (unused value) is off by default; 20: snippets show values without using them. -->
                <NoWarn>20</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {string.Join("\n", sources.Select(s => $"    <Compile Include=\"{s.File}\" />"))}
              </ItemGroup>
              <ItemGroup>
                <PackageReference Include="Functional.FSharp" Version="{Packages.Version(Repo)}" />
                <PackageReference Include="Functional.Laws" Version="{Packages.Version(Repo)}" />
              </ItemGroup>
            </Project>
            """);
        foreach (var (file, source) in sources) scratch.Write(file, source);
        AssertAllRan(scratch.Dotnet("run", "-c", "Release"), snippets);
    }

    [Fact]
    public void The_training_script_restores_the_packages_trains_saves_and_reloads()
    {
        using var scratch = new Scratch(Repo);
        var (code, output) = scratch.Dotnet("fsi", "--quiet", Path.Combine(Repo, "Examples", "Scripts", "train.fsx"), "fashion-mnist");
        Assert.True(code == 0, output);
        Assert.Matches(@"reloaded model: test accuracy 0\.\d+, the same as before saving", output);
    }

    private static void AssertAllRan((int Code, string Output) run, IReadOnlyList<Snippet> snippets)
    {
        Assert.True(run.Code == 0, run.Output);
        foreach (var s in snippets) Assert.Contains($"ok   {s.Name}", run.Output);
    }
}
