using System.IO.Compression;
using Functional.Data;

namespace Functional.Tests.Hardening;

/// <summary>A temporary folder for one test: copies of the committed Fashion-MNIST extract that a test can break,
/// and small IDX files; deleted on dispose.</summary>
internal sealed class Scratch : IDisposable
{
    public static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small");

    public string Dir { get; } = Directory.CreateTempSubdirectory("hardening-").FullName;

    public string PathOf(string name) => Path.Combine(Dir, name);

    /// <summary>A folder holding the four fixture files (a fresh copy each call, named <paramref name="name"/>).</summary>
    public string DataCopy(string name = "data")
    {
        var dir = Directory.CreateDirectory(PathOf(name)).FullName;
        foreach (var file in Directory.GetFiles(Fixture)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        return dir;
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest)) gz.Write(content);
        return buffer.ToArray();
    }

    public static byte[] Gunzip(byte[] content)
    {
        using var gz = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        return buffer.ToArray();
    }

    public string Write(string name, byte[] content)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>The fixture's test images and labels re-written (gzipped) with <paramref name="images"/> test images.</summary>
    public static (byte[] Images, byte[] Labels) Idx(int images, int rows = 28, int cols = 28, byte label = 0) =>
        (Gzip(DataIdxTests.IdxImages(images, rows, cols)), Gzip(DataIdxTests.IdxLabels(Enumerable.Repeat(label, images).ToArray())));

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}
