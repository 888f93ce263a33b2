using Functional.Io;
using Xunit;

namespace Functional.Tests;

public sealed class IoAtomicSaveTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("atomic-tests").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private sealed class SimulatedCrash(string message) : Exception(message);

    /// <summary>A stream that accepts <paramref name="budget"/> bytes and then fails, like a disk or process dying mid-write.</summary>
    private sealed class FailingStream(Stream inner, long budget) : Stream
    {
        private long written;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var room = (int)Math.Min(buffer.Length, budget - written);
            inner.Write(buffer[..room]);
            written += room;
            if (room < buffer.Length) throw new SimulatedCrash($"write failed after {written} bytes");
        }
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static Dictionary<string, Tensor> Weights(float v) => new()
    {
        ["0.weight"] = Tensor.Full(Shape.Of(6, 1, 5, 5), v),
        ["0.bias"] = Tensor.Full(Shape.Of(6), v),
    };

    private string SaveOld()
    {
        var path = Path.Combine(dir, "model.safetensors");
        SafeTensors.Save(path, Weights(1f), new Dictionary<string, string> { ["epoch"] = "1" });
        return path;
    }

    private void AssertOldCheckpointIntact(string path)
    {
        var back = SafeTensors.Load(path);
        Assert.Equal("1", back.Metadata["epoch"]);
        Assert.All(back.Tensors["0.weight"].ToArray(), v => Assert.Equal(1f, v));
        Assert.Equal(["model.safetensors"], Directory.GetFiles(dir).Select(Path.GetFileName));   // no torn or stray files
    }

    [Fact]
    public void Failure_between_write_and_rename_leaves_the_previous_checkpoint_loadable()
    {
        var path = SaveOld();
        string? tempSeen = null;
        var e = Assert.Throws<SimulatedCrash>(() => SafeTensors.Save(path, Weights(2f), new Dictionary<string, string> { ["epoch"] = "2" }, null, null,
            beforeRename: temp =>
            {
                tempSeen = temp;
                // The complete new file exists beside the old one, under another name, before the rename.
                Assert.Equal("2", SafeTensors.Load(temp).Metadata["epoch"]);
                Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(temp));
                throw new SimulatedCrash("crash before rename");
            }));
        Assert.Equal("crash before rename", e.Message);
        Assert.NotNull(tempSeen);
        AssertOldCheckpointIntact(path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(100)]
    [InlineData(500)]
    public void Failure_in_the_middle_of_writing_leaves_the_previous_checkpoint_loadable(long bytesBeforeFailure)
    {
        var path = SaveOld();
        Assert.Throws<SimulatedCrash>(() => SafeTensors.Save(path, Weights(2f), new Dictionary<string, string> { ["epoch"] = "2" },
            null, wrap: s => new FailingStream(s, bytesBeforeFailure), beforeRename: null));
        AssertOldCheckpointIntact(path);
    }

    [Fact]
    public void Successful_save_replaces_the_previous_checkpoint_and_leaves_no_temporary_file()
    {
        var path = SaveOld();
        SafeTensors.Save(path, Weights(2f), new Dictionary<string, string> { ["epoch"] = "2" });
        Assert.Equal("2", SafeTensors.Load(path).Metadata["epoch"]);
        Assert.Equal(["model.safetensors"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_torn_file_left_by_a_non_atomic_writer_would_be_caught_on_load()
    {
        // What the atomic save prevents: a checkpoint cut short is reported, not half-loaded.
        var path = SaveOld();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
    }

    [Fact]
    public void Atomic_write_creates_missing_folders()
    {
        var path = Path.Combine(dir, "a", "b", "c.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
    }
}
