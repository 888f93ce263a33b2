using System.CommandLine;
using System.Globalization;
using Functional.Io;
using Functional.Io.Onnx;

namespace Functional.Cli.Commands;

/// <summary>
/// <c>onnx check MODEL.onnx --input IN.safetensors --expect OUT.safetensors</c>: imports an ONNX model, runs it on
/// the input and compares with the expected output; prints <c>max relative error: X</c> last and exits 1 above 1e-4.
/// </summary>
internal static class OnnxCommand
{
    /// <summary>The largest max|actual − expected| / max|expected| that passes.</summary>
    public const double Tolerance = 1e-4;

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "The ONNX file to import and run." };
        var input = new Option<string>("--input") { Description = "A safetensors file holding the input batch (tensor 'input', or its only tensor).", Required = true };
        var expect = new Option<string>("--expect") { Description = "A safetensors file holding the expected output (tensor 'output', or its only tensor).", Required = true };
        var check = new Command("check", $"Import an ONNX model, run it and compare with an expected output (fails above {Tolerance:0e0} relative).") { model, input, expect };
        check.SetAction(r => CliErrors.Guard(r, output =>
        {
            var path = r.GetValue(model)!;
            if (!File.Exists(path)) throw new UsageException($"{path}: no such file.");
            var imported = Read(() => Onnx.Import(path));
            var x = Tensor(r.GetValue(input)!, "input");
            var expected = Tensor(r.GetValue(expect)!, "output");
            if (x.Shape.Rank != imported.InputShape.Rank + 1 || x.Shape.WithoutBatch() != imported.InputShape)
                throw new UsageException($"--input holds {x.Shape}, not a batch of the model's input {imported.InputShape}.");
            var actual = imported.Predict(x);
            if (actual.Shape != expected.Shape)
                throw new UsageException($"--expect holds {expected.Shape} but the model gives {actual.Shape}.");
            var scale = expected.ToArray().Max(v => Math.Abs((double)v));
            var error = actual.ToArray().Zip(expected.ToArray(), (a, e) => Math.Abs((double)a - e)).Max() / Math.Max(scale, double.Epsilon);
            output.WriteLine($"model: {imported}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"max relative error: {error:E3}"));
            return error <= Tolerance ? 0 : 1;
        }));
        return new Command("onnx", "ONNX interchange: check an ONNX model against an expected output.") { check };
    }

    private static Tensor Tensor(string path, string name)
    {
        if (!File.Exists(path)) throw new UsageException($"{path}: no such file.");
        var tensors = Read(() => SafeTensors.Load(path)).Tensors;
        if (tensors.TryGetValue(name, out var t)) return t;
        if (tensors.Count == 1) return tensors.Values.Single();
        throw new UsageException($"{path}: holds {tensors.Count} tensors and none is called '{name}'.");
    }

    private static T Read<T>(Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new UsageException(e.Message);
        }
    }
}
