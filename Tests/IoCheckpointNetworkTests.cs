using Functional.Data;
using Functional.Io;
using Functional.Io.Description;
using Functional.Network;
using Xunit;
using static Functional.Dsl.Layers;

namespace Functional.Tests;

/// <summary>A checkpoint holds the network: <see cref="ModelCheckpoint.Load(string)"/> rebuilds it, and the
/// training metadata the API saves is read back through one path that never defaults.</summary>
public sealed class IoCheckpointNetworkTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("checkpoint-net").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    /// <summary>A network no zoo entry builds: a named stem, a projection residual, concatenated branches, dropout.</summary>
    internal static Layer ResNetish() =>
        Named("stem", Conv(4, 3, padding: 1).Then(BatchNorm).Then(ReLU))
            .Then(Residual(Conv(8, 3, stride: 2, padding: 1).Then(BatchNorm).Then(ReLU).Then(Conv(8, 3, padding: 1)), after: ReLU))
            .Then(Concat(Pointwise(4), SeparableConv(4, 3, padding: Padding.Same)))
            .Then(MaxPool(2, ceil: true)).Then(GlobalAvgPool).Then(Flatten).Then(Dropout(0.25f)).Then(Named("fc", Dense(10)));

    [Fact]
    public void Load_rebuilds_a_non_zoo_network_from_the_file_alone()
    {
        var model = ResNetish().Init(Shape.Image(1, 28, 28), seed: 5);
        var x = Tensor.Uniform(Shape.Images(3, 1, 28, 28), Random.Key.FromSeed(1));
        model = model.WithState(model.Forward(x, Random.Key.FromSeed(2)).State);   // running statistics that differ from init
        ModelCheckpoint.Save(PathOf("m.safetensors"), model, normalization: Normalization.PerChannel([0.25f], [0.5f]), epoch: 4);

        var loaded = ModelCheckpoint.Load(PathOf("m.safetensors"));
        Assert.Equal(model.Architecture, loaded.Model.Architecture);
        Assert.Equal(model.InputShape, loaded.Model.InputShape);
        Assert.Equal(model.Parameters.Paths.Concat(model.State.Paths), loaded.Model.Parameters.Paths.Concat(loaded.Model.State.Paths));
        Assert.Equal(model.Predict(x).ToArray(), loaded.Model.Predict(x).ToArray());
        Assert.Equal([0.25f], loaded.Normalization.Mean.ToArray());
        Assert.Equal([0.5f], loaded.Normalization.Std.ToArray());
        Assert.Equal(4, loaded.Epoch);
    }

    [Fact]
    public void A_checkpoint_saved_without_normalisation_says_so_instead_of_assuming_none()
    {
        ModelCheckpoint.Save(PathOf("m.safetensors"), ResNetish().Init(Shape.Image(1, 28, 28), seed: 5));
        var loaded = ModelCheckpoint.Load(PathOf("m.safetensors"));
        var e = Assert.Throws<CheckpointMetadataException>(() => loaded.Normalization);
        Assert.Equal(ModelCheckpoint.NormalizationMeanKey, e.Key);
        Assert.Contains("m.safetensors: records no input normalisation", e.Message);
        Assert.Null(loaded.Epoch);
    }

    [Fact]
    public void Missing_network_description_and_malformed_metadata_name_what_is_wrong()
    {
        var model = ResNetish().Init(Shape.Image(1, 28, 28), seed: 5);
        SafeTensors.Save(PathOf("bare.safetensors"), model.Parameters.Concat(model.State).ToDictionary(l => l.Path, l => l.Value),
            new Dictionary<string, string> { [ModelCheckpoint.InputShapeKey] = "1,28,28" });
        var e = Assert.Throws<CheckpointMetadataException>(() => ModelCheckpoint.Load(PathOf("bare.safetensors")));
        Assert.Equal(ModelCheckpoint.NetworkKey, e.Key);
        Assert.Contains("records no 'network' description", e.Message);

        ModelCheckpoint.Save(PathOf("m.safetensors"), model, metadata: new Dictionary<string, string>
        {
            [ModelCheckpoint.EpochKey] = "four", [ModelCheckpoint.NormalizationMeanKey] = "0.1,0.2", [ModelCheckpoint.NormalizationStdKey] = "1,1",
        });
        var loaded = ModelCheckpoint.Load(PathOf("m.safetensors"));
        Assert.Equal("epoch", Assert.Throws<CheckpointMetadataException>(() => loaded.Epoch).Key);
        Assert.Contains("2 normalisation means and 2 standard deviations but the model takes 1 channels",
            Assert.Throws<CheckpointMetadataException>(() => loaded.Normalization).Message);
    }

    [Fact]
    public void A_description_from_a_newer_format_is_refused_naming_the_file()
    {
        var model = Conv(2, 3).Then(Flatten).Then(Dense(2)).Init(Shape.Image(1, 5, 5), 0);
        SafeTensors.Save(PathOf("new.safetensors"), model.Parameters.ToDictionary(l => l.Path, l => l.Value), new Dictionary<string, string>
        {
            [ModelCheckpoint.InputShapeKey] = "1,5,5", [ModelCheckpoint.NetworkKey] = """{"format":7,"network":{"type":"relu"}}""",
        });
        var e = Assert.Throws<NetworkFormatException>(() => ModelCheckpoint.Load(PathOf("new.safetensors")));
        Assert.Equal("format", e.Element);
        Assert.StartsWith($"{PathOf("new.safetensors")}: format: version 7 is not one this build reads", e.Message);
    }

    [Fact]
    public void The_normalisation_argument_and_the_same_key_in_metadata_collide()
    {
        var model = Conv(2, 3).Init(Shape.Image(1, 5, 5), 0);
        var e = Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(PathOf("m.safetensors"), model,
            metadata: new Dictionary<string, string> { [ModelCheckpoint.NormalizationMeanKey] = "0" }, normalization: Normalization.Unit(1)));
        Assert.Contains("'normalization_mean'", e.Message);
    }
}
