using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Io.Onnx;
using Functional.Network;
using Functional.Random;
using Microsoft.ML.OnnxRuntime;

namespace Functional.Benchmarks;

/// <summary>
/// Inference on one ONNX file (written by tools/make_bench_onnx.py) at one batch size, either through Functional
/// (<see cref="Onnx.Import(string)"/>, then <see cref="Model.Predict"/> on the Cpu backend) or through ONNX Runtime
/// with the same number of intra-op threads. Both read the same weights and the same seeded input.
/// </summary>
public static class Inference
{
    /// <summary>Functional's <see cref="Model.Predict"/> on <paramref name="threads"/> threads.</summary>
    public static Action Ours(string path, int batch, int threads)
    {
        var model = Onnx.Import(path).WithContext(ExecutionContext.Cpu(threads));
        var x = Input(model.InputShape, batch);
        return () => GC.KeepAlive(model.Predict(x));
    }

    /// <summary>The same model's layers one by one (<see cref="Model.Forward"/> in inference mode, pullbacks built and
    /// dropped): what <see cref="Model.Predict"/> ran before it had a plan, for paired comparisons.</summary>
    public static Action Layers(string path, int batch, int threads)
    {
        var model = Onnx.Import(path).WithContext(ExecutionContext.Cpu(threads));
        var x = Input(model.InputShape, batch);
        return () => GC.KeepAlive(model.Forward(x, Key.FromSeed(0), training: false).Output);
    }

    /// <summary>ONNX Runtime (all graph optimisations, sequential execution, <paramref name="threads"/> intra-op
    /// threads counting the caller, as ours), fed and read through pre-made OrtValues so only the run is timed.</summary>
    public static Action OnnxRuntime(string path, int batch, int threads)
    {
        var model = Onnx.Import(path);   // only for the input shape and the same input values
        var x = Input(model.InputShape, batch);
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var session = new InferenceSession(path, options);
        var dims = x.Shape.Dims.Select(d => (long)d).ToArray();
        var input = OrtValue.CreateTensorValueFromMemory(x.ToArray(), dims);
        var run = new RunOptions();
        string[] inputs = [session.InputNames[0]], outputs = [session.OutputNames[0]];
        return () =>
        {
            using var results = session.Run(run, inputs, [input], outputs);
            GC.KeepAlive(results);
        };
    }

    private static Tensor Input(Shape image, int batch) => Tensor.Uniform(image.WithBatch(batch), Key.FromSeed(31), 0f, 1f);
}
