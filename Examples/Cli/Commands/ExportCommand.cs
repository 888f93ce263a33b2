using System.CommandLine;
using System.Text.Json;
using Functional.Cli.Checkpoints;
using Functional.Io;
using Functional.Io.Onnx;

namespace Functional.Cli.Commands;

/// <summary>
/// <c>export --checkpoint FILE --onnx OUT.onnx</c>: writes a checkpoint's model as ONNX. The network comes from the
/// checkpoint's description; <c>--model NAME</c> names the zoo architecture of an older file that has none. A
/// recorded input normalisation becomes the graph's first nodes, so the ONNX model takes pixels scaled to [0, 1].
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A model checkpoint (.safetensors), e.g. a run's model.safetensors.", Required = true };
        var onnx = new Option<string>("--onnx") { Description = "The ONNX file to write (replaced atomically).", Required = true };
        var model = new Option<string?>("--model") { Description = "Zoo architecture for a checkpoint that records no network description (e.g. lenet5)." };
        var command = new Command("export", "Write a checkpoint's model as an ONNX file (opset 19, dynamic batch).") { checkpoint, onnx, model };
        command.SetAction(r => CliErrors.Guard(r, output =>
        {
            var path = r.GetValue(checkpoint)!;
            var loaded = Load(path, r.GetValue(model));
            var normalization = loaded.Metadata.ContainsKey(ModelCheckpoint.NormalizationMeanKey) ? loaded.Normalization : null;
            var target = r.GetValue(onnx)!;
            if (Path.GetDirectoryName(Path.GetFullPath(target)) is { } dir && !Directory.Exists(dir))
                throw new UsageException($"--onnx {target}: the folder {dir} does not exist.");
            try { loaded.Model.ExportOnnx(target, normalization); }
            catch (OnnxExportException e) { throw new UsageException(e.Message); }
            output.WriteLine($"wrote {target}: {loaded.Model.InputShape} → {loaded.Model.OutputShape}, {loaded.Model.Parameters.ElementCount:N0} parameters" +
                (normalization is null ? "" : $", inputs normalised by {normalization} inside the graph"));
            return 0;
        }));
        return command;
    }

    private static Checkpoint Load(string path, string? zooName)
    {
        try
        {
            if (!File.Exists(path)) throw new UsageException($"--checkpoint {path}: no such file.");
            var file = SafeTensors.Load(path);
            if (file.Metadata.ContainsKey(ModelCheckpoint.NetworkKey)) return ModelCheckpoint.Load(path);
            var name = zooName ?? file.Metadata.GetValueOrDefault(ModelCheckpoint.ArchitectureKey)
                ?? throw new UsageException($"{path}: the checkpoint describes no network; name its zoo architecture with --model NAME.");
            return ModelCheckpoint.Load(path, KnownArchitectures.Get(name, path));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException)
        {
            throw new UsageException(e.Message);
        }
    }
}
