using System.Buffers.Binary;
using Functional.Data;
using Functional.Io;
using Xunit;

namespace Functional.Tests;

/// <summary>
/// Files written by PyTorch (tools/make_fixture.py interchange) read with the library's own reader and run by its
/// own LeNet-5; and the reverse: a checkpoint the library wrote, loaded strictly by PyTorch, whose logits
/// (tools/make_fixture.py reverse) are committed so this runs without PyTorch.
/// </summary>
public class IoInterchangeTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "interchange");

    public static readonly Dictionary<string, Shape> LeNet5 = new()
    {
        ["0.weight"] = Shape.Of(6, 1, 5, 5), ["0.bias"] = Shape.Of(6),
        ["3.weight"] = Shape.Of(16, 6, 5, 5), ["3.bias"] = Shape.Of(16),
        ["7.weight"] = Shape.Of(120, 400), ["7.bias"] = Shape.Of(120),
        ["9.weight"] = Shape.Of(84, 120), ["9.bias"] = Shape.Of(84),
        ["11.weight"] = Shape.Of(10, 84), ["11.bias"] = Shape.Of(10),
    };

    [Fact]
    public void PyTorch_lenet5_state_dict_loads_in_sequential_order_with_the_expected_shapes()
    {
        var file = SafeTensors.Load(Path.Combine(Dir, "lenet5.safetensors"), LeNet5);
        Assert.Equal(LeNet5.Keys, file.Tensors.Keys);                 // state_dict order survives
        Assert.StartsWith("PyTorch", file.Metadata["source"]);
        Assert.All(file.DTypes.Values, d => Assert.Equal("F32", d));
        Assert.Equal(61706, file.Tensors.Values.Sum(t => t.Count));   // LeNet-5's parameter count
    }

    [Fact]
    public void PyTorch_batch_norm_state_uses_torch_names_and_int64_counter()
    {
        var file = SafeTensors.Load(Path.Combine(Dir, "lenet5-bn.safetensors"));
        Assert.Equal(["1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"],
            file.Tensors.Keys.Where(k => k.StartsWith("1.")));
        Assert.Equal("I64", file.DTypes["1.num_batches_tracked"]);
        Assert.Equal(30f, file.Tensors["1.num_batches_tracked"].Span[0]);   // 30 training steps
        Assert.Equal(Shape.Scalar, file.Tensors["5.num_batches_tracked"].Shape);
        Assert.All(file.Tensors["1.running_var"].ToArray(), v => Assert.True(v > 0));
    }

    [Fact]
    public void Expected_inputs_are_the_fixture_test_images_scaled_exactly_as_pytorch()
    {
        var expected = SafeTensors.Load(Path.Combine(Dir, "lenet5-expected.safetensors")).Tensors;
        var test = FashionMnist.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist-small")).Test;
        var ours = test.Images(0, 8);
        Assert.Equal(Shape.Images(8, 1, 28, 28), expected["inputs"].Shape);
        Assert.Equal(ours.ToArray(), expected["inputs"].ToArray());
        Assert.Equal(Shape.Of(8, 10), expected["logits"].Shape);
    }

    [Fact]
    public void Resaving_a_pytorch_file_keeps_every_value_and_dtype()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("interchange").FullName, "resaved.safetensors");
        var original = SafeTensors.Load(Path.Combine(Dir, "lenet5-bn.safetensors"));
        SafeTensors.Save(path, original.Tensors, original.Metadata, original.DTypes);
        var again = SafeTensors.Load(path);
        Assert.Equal(original.DTypes, again.DTypes);
        foreach (var (name, t) in original.Tensors)
            Assert.Equal(t.ToArray(), again.Tensors[name].ToArray());
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    private static Tensor Inputs => SafeTensors.Load(Path.Combine(Dir, "lenet5-expected.safetensors")).Tensors["inputs"];

    [Fact]
    public void PyTorch_lenet5_loads_into_the_library_lenet5_and_predicts_pytorch_logits()
    {
        var model = ModelCheckpoint.Load(Path.Combine(Dir, "lenet5.safetensors"), IoModelCheckpointTests.LeNet5(), Shape.Image(1, 28, 28)).Model;
        var expected = SafeTensors.Load(Path.Combine(Dir, "lenet5-expected.safetensors")).Tensors["logits"];
        var logits = model.Predict(Inputs);
        Assert.True(logits.MaxAbsDiff(expected) <= 1e-5f, $"max |ours − PyTorch| = {logits.MaxAbsDiff(expected)}");
        Assert.Equal(ArgMax(expected), ArgMax(logits));
    }

    [Fact]
    public void PyTorch_lenet5_with_batch_norm_loads_with_its_running_statistics_and_predicts_pytorch_logits()
    {
        var model = ModelCheckpoint.Load(Path.Combine(Dir, "lenet5-bn.safetensors"), IoModelCheckpointTests.LeNet5Bn(), Shape.Image(1, 28, 28)).Model;
        Assert.Equal(["1.running_mean", "1.running_var", "5.running_mean", "5.running_var"], model.State.Paths);
        var expected = SafeTensors.Load(Path.Combine(Dir, "lenet5-bn-expected.safetensors")).Tensors["logits"];
        var logits = model.Predict(Inputs);
        Assert.True(logits.MaxAbsDiff(expected) <= 1e-5f, $"max |ours − PyTorch| = {logits.MaxAbsDiff(expected)}");
    }

    [Theory]
    [InlineData("functional-lenet5", false)]
    [InlineData("functional-lenet5-bn", true)]
    public void Library_checkpoint_loaded_by_pytorch_gives_the_library_logits(string name, bool bn)
    {
        var file = Path.Combine(Dir, name + ".safetensors");
        var loaded = ModelCheckpoint.Load(file, bn ? IoModelCheckpointTests.LeNet5Bn() : IoModelCheckpointTests.LeNet5());
        Assert.Equal("Functional", loaded.Metadata["source"]);
        var torch = SafeTensors.Load(Path.Combine(Dir, name + "-torch-logits.safetensors"));
        Assert.StartsWith("PyTorch", torch.Metadata["source"]);
        var logits = loaded.Model.Predict(Inputs);
        Assert.True(logits.MaxAbsDiff(torch.Tensors["logits"]) <= 1e-5f, $"max |ours − PyTorch| = {logits.MaxAbsDiff(torch.Tensors["logits"])}");
    }

    [Theory]
    [InlineData("functional-lenet5", false)]
    [InlineData("functional-lenet5-bn", true)]
    public void Todays_writer_produces_the_tensor_layout_pytorch_accepted(string name, bool bn)
    {
        // PyTorch loaded the committed file strictly; the writer must still produce the same names, order, dtypes,
        // shapes and data bytes (metadata may change), or the reverse direction is no longer proven.
        var committed = Path.Combine(Dir, name + ".safetensors");
        var resaved = Path.Combine(Directory.CreateTempSubdirectory("interchange").FullName, "again.safetensors");
        var counter = bn ? (long)SafeTensors.Load(committed).Tensors["1.num_batches_tracked"].Span[0] : 0;
        ModelCheckpoint.Save(resaved, ModelCheckpoint.Load(committed, bn ? IoModelCheckpointTests.LeNet5Bn() : IoModelCheckpointTests.LeNet5()).Model,
            batchesTracked: counter);
        var (a, b) = (SafeTensors.Load(committed), SafeTensors.Load(resaved));
        Assert.Equal(a.Tensors.Keys, b.Tensors.Keys);
        Assert.Equal(a.DTypes, b.DTypes);
        Assert.Equal(a.Tensors.Values.Select(t => t.Shape), b.Tensors.Values.Select(t => t.Shape));
        Assert.Equal(DataSection(File.ReadAllBytes(committed)), DataSection(File.ReadAllBytes(resaved)));
        Directory.Delete(Path.GetDirectoryName(resaved)!, recursive: true);
    }

    private static byte[] DataSection(byte[] file) => file[(8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file))..];

    private static int[] ArgMax(Tensor logits)
    {
        var (n, k) = (logits.Shape[0], logits.Shape[1]);
        var v = logits.Span;
        var result = new int[n];
        for (var i = 0; i < n; i++)
            for (var j = 1; j < k; j++)
                if (v[i * k + j] > v[i * k + result[i]]) result[i] = j;
        return result;
    }
}
