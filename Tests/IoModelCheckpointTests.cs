using Functional.Io;
using Functional.Network;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

/// <summary>Whole models through safetensors: bit-exact round trips, architecture checks, atomic saves.</summary>
public sealed class IoModelCheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("checkpoint").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>Modern LeNet-5 as PyTorch's nn.Sequential numbers it: weights at 0, 3, 7, 9 and 11.</summary>
    internal static Layer LeNet5(int hidden = 120, Layer? activation = null) =>
        Sequential(Conv(6, 5, padding: 2), activation ?? ReLU, MaxPool(2), Conv(16, 5), activation ?? ReLU, MaxPool(2),
            Flatten, Dense(hidden), ReLU, Dense(84), ReLU, Dense(10));

    /// <summary>LeNet-5 with a batch norm after each conv, numbered as tools/make_fixture.py's lenet5(bn=True).</summary>
    internal static Layer LeNet5Bn() =>
        Sequential(Conv(6, 5, padding: 2), BatchNorm, ReLU, MaxPool(2), Conv(16, 5), BatchNorm, ReLU, MaxPool(2),
            Flatten, Dense(120), ReLU, Dense(84), ReLU, Dense(10));

    /// <summary>A LeNet-5-BN whose running statistics have seen <paramref name="batches"/> training batches.</summary>
    internal static Model TrainedStatistics(int seed, int batches)
    {
        var model = LeNet5Bn().Init(Input, seed);
        for (var i = 0; i < batches; i++)
            model = model.WithState(model.Forward(Tensor.Uniform(Shape.Images(8, 1, 28, 28), Random.Key.FromSeed(seed + i)), Random.Key.FromSeed(i)).State);
        return model;
    }

    private static readonly Shape Input = Shape.Image(1, 28, 28);

    private string PathOf(string name) => Path.Combine(dir, name);

    private static int[] Bits(Tensor t) => t.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();

    [Fact]
    public void Round_trip_is_bit_exact_and_records_the_architecture()
    {
        var model = LeNet5().Init(Input, seed: 7);
        ModelCheckpoint.Save(PathOf("m.safetensors"), model, "lenet5", new Dictionary<string, string> { ["epoch"] = "3" });
        var loaded = ModelCheckpoint.Load(PathOf("m.safetensors"), LeNet5().Init(Input, seed: 8));

        Assert.Equal(model.Parameters.Paths, loaded.Model.Parameters.Paths);
        foreach (var leaf in model.Parameters)
            Assert.Equal(Bits(leaf.Value), Bits(loaded.Model.Parameters[leaf.Path]));
        Assert.Equal("lenet5", loaded.Metadata[ModelCheckpoint.ArchitectureKey]);
        Assert.Equal("1,28,28", loaded.Metadata[ModelCheckpoint.InputShapeKey]);
        Assert.Equal("3", loaded.Metadata["epoch"]);
        Assert.StartsWith("Conv", loaded.Metadata[ModelCheckpoint.LayersKey]);
        var x = Tensor.Uniform(Shape.Images(3, 1, 28, 28), Random.Key.FromSeed(1));
        Assert.Equal(Bits(model.Predict(x)), Bits(loaded.Model.Predict(x)));
    }

    [Fact]
    public void Batch_norm_state_is_saved_as_pytorch_names_it_with_an_int64_batch_counter()
    {
        var model = TrainedStatistics(seed: 5, batches: 3);
        ModelCheckpoint.Save(PathOf("bn.safetensors"), model, batchesTracked: 3);
        var file = SafeTensors.Load(PathOf("bn.safetensors"));
        Assert.Equal(["1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"], file.Tensors.Keys.Where(k => k.StartsWith("1.")));
        Assert.Equal("I64", file.DTypes["5.num_batches_tracked"]);
        Assert.Equal(3f, file.Tensors["5.num_batches_tracked"].Span[0]);
        Assert.Equal(Shape.Scalar, file.Tensors["5.num_batches_tracked"].Shape);

        var loaded = ModelCheckpoint.Load(PathOf("bn.safetensors"), LeNet5Bn()).Model;
        Assert.Equal(model.State.Paths, loaded.State.Paths);
        foreach (var leaf in model.State) Assert.Equal(Bits(leaf.Value), Bits(loaded.State[leaf.Path]));
        Assert.NotEqual(0f, loaded.State["1.running_mean"].Span[0]);
    }

    [Fact]
    public void Load_from_an_architecture_takes_the_input_shape_from_the_file()
    {
        var model = LeNet5().Init(Input, seed: 7);
        ModelCheckpoint.Save(PathOf("m.safetensors"), model);
        var loaded = ModelCheckpoint.Load(PathOf("m.safetensors"), LeNet5());
        Assert.Equal(Input, loaded.Model.InputShape);
        Assert.Equal(Bits(model.Parameters["11.bias"]), Bits(loaded.Model.Parameters["11.bias"]));
    }

    [Fact]
    public void A_different_width_names_the_tensors_and_both_shapes()
    {
        ModelCheckpoint.Save(PathOf("m.safetensors"), LeNet5().Init(Input, seed: 7));
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(PathOf("m.safetensors"), LeNet5(hidden: 100)));
        Assert.Contains("tensor '7.weight' is 120×400 in the file but the model needs 100×400", e.Message);
        Assert.Contains("tensor '9.weight' is 84×120 in the file but the model needs 84×100", e.Message);
        Assert.StartsWith(PathOf("m.safetensors"), e.Message);
    }

    [Fact]
    public void Same_shapes_but_other_layers_are_refused()
    {
        ModelCheckpoint.Save(PathOf("m.safetensors"), LeNet5().Init(Input, seed: 7));
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(PathOf("m.safetensors"), LeNet5(activation: Tanh)));
        Assert.Contains("was saved from the layers [", e.Message);
        Assert.Contains("Tanh", e.Message);
    }

    [Fact]
    public void Missing_and_unexpected_tensors_are_each_named()
    {
        var tensors = LeNet5().Init(Input, seed: 7).Parameters.Where(l => l.Path != "11.bias").ToDictionary(l => l.Path, l => l.Value);
        tensors["12.weight"] = Tensor.Zeros(Shape.Of(2));
        SafeTensors.Save(PathOf("m.safetensors"), tensors);
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(PathOf("m.safetensors"), LeNet5(), Input));
        Assert.Contains("tensor '11.bias' (10) is missing", e.Message);
        Assert.Contains("tensor '12.weight' (2) is not part of the model", e.Message);
    }

    [Fact]
    public void Another_input_shape_or_none_at_all_is_a_clear_error()
    {
        ModelCheckpoint.Save(PathOf("m.safetensors"), LeNet5().Init(Input, seed: 7));
        var e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(PathOf("m.safetensors"), LeNet5().Init(Shape.Image(1, 32, 32), 0)));
        Assert.Contains("tensor '7.weight' is 120×400 in the file but the model needs 120×576", e.Message);

        SafeTensors.Save(PathOf("bare.safetensors"), LeNet5().Init(Input, seed: 7).Parameters.ToDictionary(l => l.Path, l => l.Value));
        e = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.Load(PathOf("bare.safetensors"), LeNet5()));
        Assert.Contains("records no 'input_shape' in its metadata; give the input shape to Load", e.Message);
    }

    [Fact]
    public void A_crash_between_write_and_rename_leaves_the_previous_checkpoint_loadable()
    {
        var path = PathOf("model.safetensors");
        var first = LeNet5().Init(Input, seed: 1);
        ModelCheckpoint.Save(path, first);
        var crash = new IOException("simulated power cut before the rename");
        var thrown = Assert.Throws<IOException>(() =>
            ModelCheckpoint.Save(path, LeNet5().Init(Input, seed: 2), null, null, 0, null, _ => throw crash));
        Assert.Same(crash, thrown.InnerException);
        Assert.StartsWith($"{path}: could not be written (simulated power cut before the rename); the previous version is unchanged.", thrown.Message);
        var loaded = ModelCheckpoint.Load(path, LeNet5());
        Assert.Equal(Bits(first.Parameters["0.weight"]), Bits(loaded.Model.Parameters["0.weight"]));
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Metadata_may_not_overwrite_the_architecture_record()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(PathOf("m.safetensors"), LeNet5().Init(Input, 1), null,
            new Dictionary<string, string> { [ModelCheckpoint.LayersKey] = "anything" }));
        Assert.Contains("'layers' is written by the checkpoint itself", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }
}
