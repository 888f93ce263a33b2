// Exports AlexNet and the VGGs, runs each file in ONNX Runtime and compares with Predict at batch sizes 1 and 5:
// the zoo check that Tests/Onnx leaves out because the files are 0.25-0.6 GB. One line per model, then a summary;
// exit 1 when a model disagrees by more than 1e-4 relative (max |onnx - predict| / max |predict|).
using System.Diagnostics;
using System.Globalization;
using Functional;
using Tensor = Functional.Tensor;
using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Dsl.Zoo;
using Functional.Io.Onnx;
using Functional.Random;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

const double Tolerance = 1e-4;
int[] batches = [1, 5];
var names = args.Length > 0 ? args : ["alexnet", "vgg11", "vgg16", "vgg19"];
if (names.Any(n => n.StartsWith('-')))
{
    Console.Error.WriteLine("usage: ./build.sh onnx verify-zoo [MODEL ...]   (default: alexnet vgg11 vgg16 vgg19)");
    return 2;
}
ZooEntry[] entries;
try { entries = names.Select(Catalog.Get).ToArray(); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

var folder = Directory.CreateTempSubdirectory("functional-verify-zoo").FullName;
var (failures, worst, total) = (0, 0.0, Stopwatch.StartNew());
try
{
    foreach (var entry in entries)
    {
        var clock = Stopwatch.StartNew();
        var model = entry.Build().Init(entry.Input, seed: 1, ExecutionContext.Cpu());
        var path = Path.Combine(folder, entry.Name + ".onnx");
        model.ExportOnnx(path);
        var megabytes = new FileInfo(path).Length / 1e6;
        var errors = new List<double>();
        using (var options = new SessionOptions())
        using (var session = new InferenceSession(path, options))
        {
            foreach (var n in batches)
            {
                var x = Tensor.Uniform(model.InputShape.WithBatch(n), Key.FromSeed(n), -1f, 1f);
                var expected = model.Predict(x).ToArray();
                var input = new DenseTensor(x.ToArray(), x.Shape.Dims.ToArray());
                using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
                var actual = results.Single().AsEnumerable<float>().ToArray();
                var scale = expected.Max(v => Math.Abs((double)v));
                errors.Add(actual.Length != expected.Length || scale == 0 ? double.PositiveInfinity
                    : expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max() / scale);
            }
        }
        File.Delete(path);
        var ok = errors.All(e => e <= Tolerance);
        if (!ok) failures++;
        worst = Math.Max(worst, errors.Max());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{entry.Name,-8} {model.InputShape,-10} {model.Parameters.ElementCount,12:N0} parameters {megabytes,6:F1} MB  " +
            $"{string.Join("  ", batches.Zip(errors, (n, e) => $"batch {n}: {e:E2}"))}  {(ok ? "ok" : "DIFFERENT")}  {clock.Elapsed.TotalSeconds:F1} s"));
        model = null;
        GC.Collect();
    }
}
finally { Directory.Delete(folder, recursive: true); }

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{entries.Length - failures} of {entries.Length} models agree with ONNX Runtime within {Tolerance:0e0} relative at batch sizes {string.Join(" and ", batches)}; largest error {worst:E2}; {total.Elapsed.TotalSeconds:F0} s"));
return failures == 0 ? 0 : 1;
