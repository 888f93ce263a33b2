using System.Diagnostics;
using Functional.Data;
using Functional.Tests.Hardening;
using Xunit;
using Xunit.Abstractions;

namespace Functional.Tests.Fuzz;

/// <summary>Corrupted copies of the committed IDX test files (gzipped and plain) read, or fail with a typed
/// exception (library) or exit 2 (<c>pictures edge</c>) in one line naming the file.</summary>
public sealed class IdxFuzzTests(ITestOutputHelper log) : IDisposable
{
    private const int Cases = 700;
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Corrupted_idx_files_read_or_fail_in_one_line()
    {
        var clock = Stopwatch.StartNew();
        var seed = FuzzKit.Seed(2);
        var fuzz = new FuzzKit(seed);
        var gzImages = File.ReadAllBytes(Path.Combine(Scratch.Fixture, FashionMnist.TestImages));
        var gzLabels = File.ReadAllBytes(Path.Combine(Scratch.Fixture, FashionMnist.TestLabels));
        var (rawImages, rawLabels) = (Scratch.Gunzip(gzImages), Scratch.Gunzip(gzLabels));
        int read = 0, rejected = 0;
        for (var i = 0; i < Cases; i++)
        {
            var images = fuzz.Below(2) == 0;
            var (gz, raw, header) = images ? (gzImages, rawImages, 16) : (gzLabels, rawLabels, 8);
            var bytes = fuzz.Below(3) switch
            {
                0 => fuzz.Corrupt(gz, 64),                        // the compressed stream itself
                1 => Scratch.Gzip(fuzz.Corrupt(raw, header)),     // a well-formed gzip of corrupt content
                _ => fuzz.Corrupt(raw, header),                   // a plain file
            };
            var label = $"idx case {i} (seed {seed})";
            if (i % 5 == 0)
            {
                var dir = scratch.DataCopy($"case{i}");
                var path = Path.Combine(dir, images ? FashionMnist.TestImages : FashionMnist.TestLabels);
                File.WriteAllBytes(path, bytes);
                var (code, _, _) = FuzzKit.AssertCli(label, ["pictures", "edge", "--data", dir, "--out", Path.Combine(dir, "pictures")], mustName: dir);
                if (code == 2) rejected++; else read++;
                Directory.Delete(dir, recursive: true);
            }
            else
            {
                var path = scratch.Write($"case{i}", bytes);
                var e = FuzzKit.Timed(label, () => { if (images) Idx.ReadImages(path); else Idx.ReadLabels(path); });
                FuzzKit.AssertTyped(label, path, e, typeof(InvalidDataException), typeof(IOException));
                if (e is null) read++; else rejected++;
                File.Delete(path);
            }
        }
        log.WriteLine(FuzzKit.Summary("IDX files", Cases, seed, clock) + $": {read} read, {rejected} rejected");
        Assert.True(read > 0 && rejected > Cases / 4, $"the mutations should both keep and break files: {read} read, {rejected} rejected");
    }
}
