using Functional.Cli.Checkpoints;
using Functional.Data;
using Functional.Io;
using Functional.Tests.Support;
using Xunit;

namespace Functional.Tests.Hardening;

/// <summary>Every bad checkpoint is one line on stderr with exit 2 that names the file and what is wrong, and a typed
/// exception in the library: folders, devices, link loops, invalid UTF-8, non-finite weights, missing metadata.</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    private static readonly Lazy<Functional.Network.Model> Lenet = new(() => Functional.Dsl.Zoo.LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 5));

    /// <summary>A run checkpoint of an untrained LeNet-5, as train writes it.</summary>
    private string Checkpoint(string name = "ckpt")
    {
        var dir = Directory.CreateDirectory(scratch.PathOf(name)).FullName;
        return RunCheckpoint.Save(dir, Lenet.Value, Normalization.Unit(1), 1, 0.5, 200, 1);
    }

    private static string Evaluate(string checkpoint)
    {
        var (code, output, error) = InProcessCli.Run("evaluate", "--checkpoint", checkpoint, "--data", Scratch.Fixture);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {checkpoint}: ", line);
        return line;
    }

    [Fact]
    public void A_folder_is_not_reported_as_not_found()
    {
        Assert.Equal($"error: {scratch.Dir}: is a folder, not a file (checkpoint expected).", Evaluate(scratch.Dir));
        Assert.Throws<IOException>(() => SafeTensors.Load(scratch.Dir));
    }

    [Fact]
    public void A_device_is_refused_instead_of_read_forever()
    {
        Assert.Contains("is not a regular file", Evaluate("/dev/zero"));
    }

    [Fact]
    public void Conformance_reports_a_device_or_a_folder_in_one_line()
    {
        // /dev/zero was read until an OutOfMemoryException with a stack trace.
        foreach (var (path, expected) in new[] { ("/dev/zero", "/dev/zero: is not a regular file"), (scratch.Dir, "is a folder") })
        {
            var (code, output, _) = InProcessCli.Run("conformance", path);
            Assert.Equal(2, code);
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: {path}: ", line);
            Assert.Contains(expected, line);
        }
    }

    [Fact]
    public void A_symbolic_link_loop_and_a_dangling_link_are_named()
    {
        var a = scratch.PathOf("loop-a");
        var b = scratch.PathOf("loop-b");
        File.CreateSymbolicLink(a, b);
        File.CreateSymbolicLink(b, a);
        Assert.Contains("cannot be opened (Too many levels of symbolic links)", Evaluate(a));
        var dangling = scratch.PathOf("dangling");
        File.CreateSymbolicLink(dangling, scratch.PathOf("gone.safetensors"));
        Assert.Contains("is a symbolic link to", Evaluate(dangling));
    }

    [Fact]
    public void Invalid_utf8_in_the_header_is_one_clear_error()
    {
        var path = Checkpoint();
        var bytes = File.ReadAllBytes(path);
        var at = 8 + System.Text.Encoding.ASCII.GetString(bytes, 8, 200).IndexOf("lenet5", StringComparison.Ordinal);
        bytes[at] = 0xC3;   // a lead byte followed by ASCII: not UTF-8
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Equal($"{path}: the header is not valid UTF-8 (bad byte 0xC3 at offset {at:N0}).", e.Message);
        Assert.Contains("not valid UTF-8", Evaluate(path));
    }

    [Fact]
    public void A_non_finite_weight_is_named_at_load_and_at_evaluate()
    {
        var path = Checkpoint();
        var file = SafeTensors.Load(path);
        var tensors = file.Tensors.ToDictionary(t => t.Key, t => t.Value);
        var weights = tensors["3.weight"].ToArray();
        weights[17] = float.NaN;
        weights[40] = float.PositiveInfinity;
        tensors["3.weight"] = Tensor.FromArray(tensors["3.weight"].Shape, weights);
        SafeTensors.Save(path, tensors, file.Metadata, file.DTypes);
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(path, Functional.Dsl.Zoo.LeNet.Modern()));
        Assert.Contains("tensor '3.weight' (16×6×5×5) holds 2 non-finite values (the first, at index 17, is NaN)", e.Message);
        Assert.Contains("tensor '3.weight' (16×6×5×5) holds 2 non-finite values", Evaluate(path));
    }

    [Theory]
    [InlineData("normalization_std")]
    [InlineData("test_accuracy")]
    [InlineData("epoch")]
    public void Missing_metadata_is_named_instead_of_defaulted(string key)
    {
        var path = Checkpoint();
        var file = SafeTensors.Load(path);
        SafeTensors.Save(path, file.Tensors, file.Metadata.Where(m => m.Key != key).ToDictionary(), file.DTypes);
        Assert.Contains($"the checkpoint's metadata lacks '{key}'", Evaluate(path));
    }

    [Theory]
    [InlineData("normalization_std", "0.3,x", "is \"0.3,x\", not a comma-separated list of numbers")]
    [InlineData("normalization_std", "0", "the std must be positive")]
    [InlineData("test_accuracy", "1,5", "is \"1,5\", not a number from 0 to 1")]
    [InlineData("epoch", "-3", "is \"-3\", not a positive whole number")]
    [InlineData("test_samples", "99999999999", "not a positive whole number")]
    public void Unparsable_metadata_is_named(string key, string value, string expected)
    {
        var path = Checkpoint();
        var file = SafeTensors.Load(path);
        var metadata = file.Metadata.ToDictionary();
        metadata[key] = value;
        SafeTensors.Save(path, file.Tensors, metadata, file.DTypes);
        Assert.Contains(expected, Evaluate(path));
    }

    [Fact]
    public void An_unknown_architecture_names_the_file()
    {
        // Found by the checkpoint fuzz test (FUNCTIONAL_SEED=12345): a flipped letter in 'lenet5'.
        var path = Checkpoint();
        var file = SafeTensors.Load(path);
        var metadata = file.Metadata.ToDictionary();
        metadata["architecture"] = "lenet7";
        metadata.Remove(ModelCheckpoint.NetworkKey);   // as a file written before checkpoints described their network
        SafeTensors.Save(path, file.Tensors, metadata, file.DTypes);
        Assert.Contains("the checkpoint's architecture 'lenet7' cannot be rebuilt", Evaluate(path));
    }

    [Fact]
    public void A_full_disk_during_a_save_names_the_file_and_the_reason_and_keeps_the_old_checkpoint()
    {
        var path = Checkpoint();
        var before = File.ReadAllBytes(path);
        var full = new IOException("No space left on device : '/somewhere/.model.safetensors.1.tmp'");
        var e = Assert.Throws<IOException>(() => ModelCheckpoint.Save(path, Lenet.Value, null, null, 0, s => new FullDisk(s, 1000, full), null));
        Assert.StartsWith($"{path}: could not be written (No space left on device", e.Message);
        Assert.EndsWith("the previous version is unchanged.", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));   // no temporary file left
    }

    /// <summary>Accepts <paramref name="budget"/> bytes, then fails as a full disk does.</summary>
    private sealed class FullDisk(Stream inner, long budget, IOException error) : Stream
    {
        private long written;
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (written + buffer.Length > budget) throw error;
            inner.Write(buffer);
            written += buffer.Length;
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
}
