using System.Globalization;
using Functional.Data;
using Functional.Io.Description;
using Functional.Network;

namespace Functional.Io;

/// <summary>A model read from a checkpoint, with the file's <c>__metadata__</c> (epoch, accuracy, … as the saver wrote them).</summary>
/// <param name="Model">The template's architecture with the file's parameters and state.</param>
/// <param name="Metadata">Every metadata string of the file.</param>
public sealed partial record Checkpoint(Model Model, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// Whole models as safetensors files that PyTorch reads and writes: every parameter and state tensor under its tree
/// path, which for a chain is the <c>nn.Sequential</c> state-dict name (<c>0.weight</c>, <c>1.running_mean</c>,
/// <c>1.num_batches_tracked</c> as int64), in state-dict order. The metadata describes the architecture, so a
/// checkpoint is never silently loaded into a different network. Saves are atomic; round trips are bit-exact.
/// </summary>
public static partial class ModelCheckpoint
{
    /// <summary>Metadata key: the architecture's name (the <c>name</c> given to Save, else its description).</summary>
    public const string ArchitectureKey = "architecture";
    /// <summary>Metadata key: every primitive layer, in order, e.g. <c>Conv(6, 5×5, padding 2) → ReLU → …</c>.</summary>
    public const string LayersKey = "layers";
    /// <summary>Metadata key: the per-sample input shape, comma-separated (<c>1,28,28</c>).</summary>
    public const string InputShapeKey = "input_shape";

    /// <summary>Writes the model's parameters and state to <paramref name="path"/> atomically (temporary file,
    /// flush, rename), so a crash leaves the previous checkpoint or this one, never a torn file.</summary>
    /// <param name="name">A short architecture name for the metadata, e.g. <c>lenet5</c>.</param>
    /// <param name="metadata">Further strings to store (epoch, accuracy, normalisation); they may not reuse the keys above.</param>
    /// <exception cref="ArgumentException">A metadata key collides with one the checkpoint writes itself.</exception>
    /// <param name="batchesTracked">PyTorch's <c>num_batches_tracked</c>, written for every batch norm whose state
    /// lacks it: the number of training-mode batches the statistics have seen (in a training run, the optimizer steps).</param>
    /// <param name="normalization">How inputs were normalised for this model, stored as <c>normalization_mean</c> and
    /// <c>normalization_std</c> so <see cref="Checkpoint.Normalization"/> can apply it again.</param>
    /// <param name="epoch">The training epoch after which the model was saved, stored as <c>epoch</c>.</param>
    public static void Save(string path, Model model, string? name = null, IReadOnlyDictionary<string, string>? metadata = null, long batchesTracked = 0,
        Normalization? normalization = null, int? epoch = null) =>
        Save(path, model, name, WithTraining(metadata, normalization, epoch), batchesTracked, wrap: null, beforeRename: null);

    /// <summary>The test seam of <see cref="AtomicFile"/>: fail mid-write or between write and rename.</summary>
    internal static void Save(string path, Model model, string? name, IReadOnlyDictionary<string, string>? metadata, long batchesTracked,
        Func<Stream, Stream>? wrap, Action<string>? beforeRename)
    {
        var meta = new OrderedDictionary<string, string>
        {
            [ArchitectureKey] = name ?? model.Architecture.Description,
            [LayersKey] = Layers(model.Architecture, model.InputShape),
            [InputShapeKey] = string.Join(",", model.InputShape.Dims),
        };
        // A network built from layer types defined outside the library has no description; Load(path, layer) still reads it.
        if (NetworkDescription.CanDescribe(model.Architecture)) meta[NetworkKey] = NetworkDescription.Write(model.Architecture);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            if (!meta.TryAdd(key, value))
                throw new ArgumentException($"ModelCheckpoint.Save: the metadata key '{key}' is written by the checkpoint itself; choose another.", nameof(metadata));
        var tensors = new OrderedDictionary<string, Tensor>();
        var dtypes = new Dictionary<string, string>();
        var counter = Tensor.Scalar(batchesTracked);
        foreach (var leaf in StateDictOrder(model, counter))
        {
            tensors.Add(leaf.Path, leaf.Value);
            // PyTorch counts batches in int64 and refuses a float counter under load_state_dict(strict=True).
            if (IsCounter(leaf.Path)) dtypes[leaf.Path] = "I64";
        }
        SafeTensors.Save(path, tensors, meta, dtypes, wrap, beforeRename);
    }

    /// <summary>Loads a checkpoint into the architecture of <paramref name="template"/> (its values are ignored).</summary>
    /// <exception cref="InvalidDataException">The file is corrupt, lacks a tensor the model needs, holds one it does
    /// not have, a shape differs, a value is NaN or infinite, or its metadata describes other layers or another
    /// input shape; the message names the file and every offending tensor.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static Checkpoint Load(string path, Model template) => Load(path, SafeTensors.Load(path), template);

    private static Checkpoint Load(string path, SafeTensorsFile file, Model template)
    {
        var expected = new Dictionary<string, Shape>();
        foreach (var leaf in template.Parameters.Concat(template.State)) expected[leaf.Path] = leaf.Value.Shape;
        // The model keeps no batch counter (it only matters to PyTorch's momentum=None averaging): accept PyTorch's.
        foreach (var module in BatchNormModules(template.State))
            if (file.Tensors.ContainsKey(Counter(module)) && !expected.ContainsKey(Counter(module))) expected[Counter(module)] = Shape.Scalar;
        SafeTensors.Check(path, file, expected);
        if (file.Metadata.TryGetValue(InputShapeKey, out var input) && input != string.Join(",", template.InputShape.Dims))
            throw SafeTensorsHeader.Error(path, $"was saved for input shape {input.Replace(",", "×")} but the model takes {template.InputShape}.");
        var layers = Layers(template.Architecture, template.InputShape);
        if (file.Metadata.TryGetValue(LayersKey, out var saved) && saved != layers)
            throw SafeTensorsHeader.Error(path, $"was saved from the layers [{saved}] but the model has [{layers}].");
        CheckFinite(path, file);
        var parameters = TensorTree.Of(template.Parameters.Select(l => new TensorLeaf(l.Path, file.Tensors[l.Path])));
        var state = TensorTree.Of(template.State.Select(l => new TensorLeaf(l.Path, file.Tensors[l.Path])));
        return new(template.WithParameters(parameters).WithState(state), file.Metadata) { File = path };
    }

    /// <summary>Loads a checkpoint into <paramref name="architecture"/>, for the input shape the file records (or
    /// <paramref name="input"/> when given, e.g. for a PyTorch state dict, which records none). The model runs on the
    /// fast Cpu backend; <see cref="Model.WithContext"/> moves it elsewhere.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Load(string, Model)"/>, or no input shape is known.</exception>
    public static Checkpoint Load(string path, Layer architecture, Shape? input = null)
    {
        var file = SafeTensors.Load(path);
        if (input is null)
        {
            if (!file.Metadata.TryGetValue(InputShapeKey, out var text))
                throw SafeTensorsHeader.Error(path, $"records no '{InputShapeKey}' in its metadata; give the input shape to Load.");
            input = ParseShape(path, text);
        }
        // Shapes only, before Init allocates anything: a corrupt input_shape must not build a model of billions of
        // parameters that the file could never fill.
        long needed;
        try { needed = architecture.ParameterCount(input); }
        catch (ShapeException e) { throw SafeTensorsHeader.Error(path, $"the architecture cannot take the input shape {input}: {e.Message}", e); }
        // Far more, not just more: a few missing tensors are better reported one by one by the load itself.
        var held = file.Tensors.Values.Sum(t => (long)t.Count);
        if (needed > 4 * held + (1 << 20))
            throw SafeTensorsHeader.Error(path, $"for input shape {input} the architecture has {needed:N0} parameters but the file holds only {held:N0} values.");
        return Load(path, file, architecture.Init(input, seed: 0));
    }

    // A NaN or infinite weight would make every prediction NaN (and argmax pick class 0) without a word; a model that
    // diverged, or a flipped exponent bit, is named here instead.
    private static void CheckFinite(string path, SafeTensorsFile file)
    {
        foreach (var (name, tensor) in file.Tensors)
        {
            var values = tensor.Span;
            var first = -1;
            var count = 0;
            for (var i = 0; i < values.Length; i++)
                if (!float.IsFinite(values[i]) && count++ == 0) first = i;
            if (count > 0)
                throw SafeTensorsHeader.Error(path, string.Create(CultureInfo.InvariantCulture,
                    $"tensor '{name}' ({tensor.Shape}) holds {count:N0} non-finite value{(count == 1 ? "" : "s")} (the first, at index {first}, is {values[first]}); a model cannot be loaded from it."));
        }
    }

    /// <summary>The layer descriptions in order, joined by arrows: what the metadata records and Load compares.</summary>
    public static string Layers(Layer architecture, Shape input) => string.Join(" → ", architecture.Trace(input).Select(r => r.Layer));

    // PyTorch's state_dict lists each module's parameters, then its buffers, module by module; a batch norm's
    // buffers end with num_batches_tracked.
    private static IEnumerable<TensorLeaf> StateDictOrder(Model model, Tensor counter)
    {
        var all = model.Parameters.Concat(model.State).ToList();
        foreach (var module in BatchNormModules(model.State))
            if (!model.State.Contains(Counter(module)))
                all.Insert(all.FindIndex(l => l.Path == Join(module, "running_var")) + 1, new TensorLeaf(Counter(module), counter));
        var firstSeen = new Dictionary<string, int>();
        foreach (var leaf in all) firstSeen.TryAdd(Module(leaf.Path), firstSeen.Count);
        return all.Select((leaf, i) => (leaf, i)).OrderBy(p => firstSeen[Module(p.leaf.Path)]).ThenBy(p => p.i).Select(p => p.leaf);

        static string Module(string path) => path.LastIndexOf('.') is var dot and >= 0 ? path[..dot] : "";
    }

    // Modules whose state holds running_mean and running_var ("" for a lone batch norm).
    private static IEnumerable<string> BatchNormModules(TensorTree state) =>
        state.Paths.Where(p => p == "running_var" || p.EndsWith(".running_var", StringComparison.Ordinal))
            .Select(p => p[..Math.Max(p.Length - ".running_var".Length, 0)])
            .Where(m => state.Contains(Join(m, "running_mean")));

    private static string Counter(string module) => Join(module, "num_batches_tracked");

    private static bool IsCounter(string path) => path == "num_batches_tracked" || path.EndsWith(".num_batches_tracked", StringComparison.Ordinal);

    private static string Join(string module, string name) => module.Length == 0 ? name : $"{module}.{name}";

    internal static Shape ParseShape(string path, string text)
    {
        var parts = text.Split(',');
        var dims = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] < 1)
                throw SafeTensorsHeader.Error(path, $"metadata '{InputShapeKey}' is \"{text}\", not a list of positive sizes such as 1,28,28.");
        return Shape.Of(dims);
    }
}
