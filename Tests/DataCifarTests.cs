using Functional.Data;
using Xunit;

namespace Functional.Tests;

public sealed class DataCifarTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("cifar-tests").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static byte[] Records(params byte[] labels)
    {
        var b = new byte[labels.Length * Cifar10.RecordSize];
        for (var r = 0; r < labels.Length; r++)
        {
            b[r * Cifar10.RecordSize] = labels[r];
            for (var j = 1; j < Cifar10.RecordSize; j++)
                b[r * Cifar10.RecordSize + j] = (byte)(r * 50 + (j - 1) / 1024);   // value encodes record and channel
        }
        return b;
    }

    [Fact]
    public void Reads_records_into_chw_samples_across_files()
    {
        var a = Path.Combine(dir, "data_batch_1.bin");
        var b = Path.Combine(dir, "data_batch_2.bin");
        File.WriteAllBytes(a, Records(3, 9));
        File.WriteAllBytes(b, Records(0));
        var data = Cifar10.ReadBatches(a, b);
        Assert.Equal(3, data.Count);
        Assert.Equal(Shape.Image(3, 32, 32), data.SampleShape);
        Assert.Equal([3, 9, 0], data.Labels.ToArray());
        var s = data.Sample(1);
        Assert.Equal(50, s[0]);          // red plane of record 1
        Assert.Equal(51, s[1024]);       // green plane
        Assert.Equal(52, s[3071]);       // last blue pixel
        Assert.Equal(0, data.Sample(2)[0]);
    }

    [Fact]
    public void Partial_record_is_one_clear_error()
    {
        var path = Path.Combine(dir, "test_batch.bin");
        File.WriteAllBytes(path, Records(1, 2)[..(Cifar10.RecordSize + 10)]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatches(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("1 whole records and 10 stray bytes", e.Message);
    }

    [Fact]
    public void Label_above_nine_is_one_clear_error()
    {
        var path = Path.Combine(dir, "test_batch.bin");
        File.WriteAllBytes(path, Records(1, 42));
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatches(path));
        Assert.Contains("record 1 has label 42", e.Message);
    }

    [Fact]
    public void Missing_batch_of_a_folder_names_the_file()
    {
        File.WriteAllBytes(Path.Combine(dir, "data_batch_1.bin"), Records(1));
        var e = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(dir));
        Assert.Contains("data_batch_2.bin", e.Message);
    }
}
