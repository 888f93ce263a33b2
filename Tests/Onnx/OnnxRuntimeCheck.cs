using Xunit;
using ExecutionContext = Functional.Backends.ExecutionContext;
using Functional.Io.Onnx;
using Functional.Network;
using Functional.Random;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Functional.Tests.Onnx;

/// <summary>
/// Runs an exported model in ONNX Runtime, a consumer that shares no code with the exporter, and compares its output
/// with <see cref="Model.Predict"/> on the same random inputs.
/// </summary>
internal static class OnnxRuntimeCheck
{
    /// <summary>The largest relative error any check has seen in this run (for the test log).</summary>
    public static double Worst { get; private set; }

    /// <summary>Initialises <paramref name="layer"/> with non-trivial batch-norm statistics and affine parameters
    /// (fresh ones are 0/1, which would hide a swapped or missing tensor).</summary>
    public static Model Build(Layer layer, Shape input, int seed = 1)
    {
        var model = layer.Init(input, seed, ExecutionContext.Cpu());
        var key = Key.FromSeed(seed + 100);
        var i = 0;
        var state = model.State.Map((path, t) => path.EndsWith("running_var", StringComparison.Ordinal)
            ? Tensor.Uniform(t.Shape, key.Split(i++), 0.5f, 1.5f) : Tensor.Uniform(t.Shape, key.Split(i++), -0.2f, 0.2f));
        var parameters = model.Parameters.Map((path, t) => t.Shape.Rank == 1 && !path.EndsWith("bias", StringComparison.Ordinal)
            ? Tensor.Uniform(t.Shape, key.Split(i++), 0.6f, 1.4f)
            : path.EndsWith("bias", StringComparison.Ordinal) ? Tensor.Uniform(t.Shape, key.Split(i++), -0.2f, 0.2f) : t);
        return model.WithState(state).WithParameters(parameters);
    }

    /// <summary>Exports <paramref name="model"/>, runs it in ONNX Runtime at each batch size and returns the largest
    /// relative error max|onnx − predict| / max|predict|; fails above <paramref name="tolerance"/>.</summary>
    public static double Agrees(Model model, double tolerance = 1e-4, params int[] batches)
    {
        var bytes = model.ToOnnx();
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(bytes, options);
        var worst = 0.0;
        foreach (var n in batches.Length == 0 ? [1, 5] : batches)
        {
            var x = Tensor.Uniform(model.InputShape.WithBatch(n), Key.FromSeed(n), -1f, 1f);
            var expected = model.Predict(x).ToArray();
            var actual = Run(session, x);
            Assert.Equal(expected.Length, actual.Length);
            var scale = expected.Max(v => Math.Abs((double)v));
            Assert.True(scale > 0, "the model's output is all zeros, which would compare equal to anything");
            var error = expected.Zip(actual, (e, a) => Math.Abs((double)e - a)).Max() / scale;
            Assert.True(error <= tolerance, $"batch {n}: max relative error {error:E2} exceeds {tolerance:E0}");
            worst = Math.Max(worst, error);
        }
        Worst = Math.Max(Worst, worst);
        return worst;
    }

    /// <summary>The ONNX Runtime output for a batch.</summary>
    public static float[] Run(InferenceSession session, Tensor x)
    {
        var input = new DenseTensor<float>(x.ToArray(), x.Shape.Dims.ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", input)]);
        return results.Single().AsEnumerable<float>().ToArray();
    }
}
