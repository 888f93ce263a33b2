using System.Buffers.Binary;
using System.Diagnostics;
using Functional.Cli.Checkpoints;
using Functional.Data;
using Functional.Io;
using Functional.Tests.Hardening;
using Xunit;
using Xunit.Abstractions;

namespace Functional.Tests.Fuzz;

/// <summary>Corrupted copies of a valid run checkpoint (safetensors) load, or fail with a typed exception (library)
/// or exit 2 (evaluate) in one line naming the file; never an unhandled exception or a hang.</summary>
public sealed class CheckpointFuzzTests(ITestOutputHelper log) : IDisposable
{
    private const int Cases = 900;
    private readonly Scratch scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void Corrupted_checkpoints_load_or_fail_in_one_line()
    {
        var clock = Stopwatch.StartNew();
        var seed = FuzzKit.Seed(1);
        var fuzz = new FuzzKit(seed);
        var model = Functional.Dsl.Zoo.LeNet.Modern().Init(Shape.Image(1, 28, 28), seed: 5);
        var valid = File.ReadAllBytes(RunCheckpoint.Save(Directory.CreateDirectory(scratch.PathOf("valid")).FullName, model, Normalization.Unit(1), 1, 0.5, 200, 1));
        var headerLength = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(valid);
        var architecture = Functional.Dsl.Zoo.LeNet.Modern();
        int loaded = 0, rejected = 0;
        for (var i = 0; i < Cases; i++)
        {
            var path = scratch.Write($"case{i}.safetensors", fuzz.Corrupt(valid, headerLength));
            var label = $"checkpoint case {i} (seed {seed})";
            if (i % 4 == 0)
            {
                var (code, _, _) = FuzzKit.AssertCli(label, ["evaluate", "--checkpoint", path, "--data", Scratch.Fixture], mustName: path);
                if (code == 2) rejected++; else loaded++;
            }
            else
            {
                var e = FuzzKit.Timed(label, () => ModelCheckpoint.Load(path, architecture));
                FuzzKit.AssertTyped(label, path, e, typeof(InvalidDataException), typeof(IOException));
                if (e is null) loaded++; else rejected++;
            }
            File.Delete(path);
        }
        log.WriteLine(FuzzKit.Summary("checkpoints", Cases, seed, clock) + $": {loaded} loaded, {rejected} rejected");
        Assert.True(loaded > 0 && rejected > Cases / 4, $"the mutations should both keep and break checkpoints: {loaded} loaded, {rejected} rejected");
    }
}
