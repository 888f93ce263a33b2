using System.Collections.Concurrent;
using Functional.Backends;

namespace Functional.Network.Inference;

/// <summary>
/// A model's forward pass in inference mode, compiled once for one batched input shape: batch norms folded into the
/// convs before them, each conv, dense layer, batch norm or residual sum running the ReLU after it in its own step,
/// max pooling without an argmax, and no pullbacks. The intermediate activations live in buffers that are reused
/// across calls (and, within a call, by values whose lives do not overlap); only the output is a new tensor each
/// time, since a tensor owns its storage for life. The plan is immutable: concurrent calls take separate buffer sets.
/// </summary>
internal sealed class InferencePlan
{
    private readonly PlanStep[] _steps;
    private readonly int[] _lengths;
    private readonly int[] _buffer;        // value → buffer index, −1 for the input, the output and values a layer step makes
    private readonly int[] _bufferLengths;
    private readonly int _output;
    private readonly IBackend _backend;
    private readonly ConcurrentBag<TensorStorage[]> _arenas = [];

    /// <summary>Compiles <paramref name="model"/> for batches of shape <paramref name="input"/>, which the model must
    /// accept (its initial shape with any batch size, or another its layers allow).</summary>
    public InferencePlan(Model model, Shape input)
    {
        _backend = model.Context.Backend;
        InputShape = input;
        OutputShape = model.Architecture.OutputShape(input.WithoutBatch()).WithBatch(input[0]);
        var builder = new PlanBuilder(model.Context);
        var first = builder.Value(InputShape);
        (_output, _) = builder.Add(model.Architecture, first, InputShape, model.Parameters, model.State, Site.Root);
        _steps = [.. builder.Steps];
        _lengths = [.. builder.Lengths];
        (_buffer, _bufferLengths) = AssignBuffers(_steps, _lengths, first, _output);
    }

    /// <summary>The batched input shape the plan was compiled for.</summary>
    public Shape InputShape { get; }

    /// <summary>The batched output shape.</summary>
    public Shape OutputShape { get; }

    /// <summary>Steps in the plan (for tests and summaries).</summary>
    public int StepCount => _steps.Length;

    /// <summary>The output for <paramref name="x"/> (of <see cref="InputShape"/>) as a new tensor.</summary>
    public Tensor Run(Tensor x)
    {
        if (_output == 0) return x;   // a network of reshapes only
        var buffers = _arenas.TryTake(out var arena) ? arena : _bufferLengths.Select(n => _backend.AllocateUninitialized(n)).ToArray();
        try
        {
            var values = new TensorStorage[_lengths.Length];
            values[0] = x.Storage;
            for (var v = 1; v < values.Length; v++)
                if (_buffer[v] >= 0) values[v] = buffers[_buffer[v]];
            values[_output] = _backend.AllocateUninitialized(_lengths[_output]);
            foreach (var step in _steps) step.Run(_backend, values);
            return new Tensor(OutputShape, values[_output]);
        }
        finally
        {
            _arenas.Add(buffers);
        }
    }

    /// <summary>
    /// Gives each value a buffer that no value alive at the same time holds: walking the steps, a value's buffer is
    /// taken (a free one of its exact length, since the seam checks lengths, else a new one) when a step writes it and
    /// given back after the last step that reads it (the blocks of a ResNet stage share a few buffers this way). A step's inputs are still held while its output is chosen, so no step reads what it writes.
    /// </summary>
    private static (int[] Buffer, int[] Lengths) AssignBuffers(PlanStep[] steps, int[] lengths, int input, int output)
    {
        var last = new int[lengths.Length];
        Array.Fill(last, -1);
        for (var i = 0; i < steps.Length; i++)
            foreach (var v in steps[i].Inputs) last[v] = i;
        var buffer = new int[lengths.Length];
        Array.Fill(buffer, -1);
        var sizes = new List<int>();
        var free = new List<int>();
        for (var i = 0; i < steps.Length; i++)
        {
            var v = steps[i].Output;
            if (v != output && v != input && steps[i] is not LayerStep)
            {
                var fit = free.FindIndex(b => sizes[b] == lengths[v]);
                if (fit < 0) { buffer[v] = sizes.Count; sizes.Add(lengths[v]); }
                else { buffer[v] = free[fit]; free.RemoveAt(fit); }
            }
            foreach (var u in steps[i].Inputs.Distinct())
                if (last[u] == i && buffer[u] >= 0) free.Add(buffer[u]);
        }
        return (buffer, [.. sizes]);
    }
}
