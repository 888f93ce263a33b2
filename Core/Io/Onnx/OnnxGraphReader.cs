using Functional.Network;
using Functional.Network.Combinators;

namespace Functional.Io.Onnx;

/// <summary>The imported layer, and each primitive's tensors by name (<c>weight</c>, <c>running_mean</c>, …).</summary>
internal sealed class ImportedLayer(Layer layer, Dictionary<Layer, Dictionary<string, Tensor>> tensors, Dictionary<Layer, int> ranks,
    Dictionary<Layer, long[]> trailing)
{
    public Layer Layer { get; } = layer;

    /// <summary>Checks each layer read from a broadcast constant against the rank of the input it meets: a
    /// C×1×1 constant is per channel only for a rank-4 input.</summary>
    public void CheckRanks(Layer root, Shape input, string file)
    {
        switch (root)
        {
            case Chain c:
                foreach (var child in c.Layers) { CheckRanks(child, input, file); input = child.Infer(input, Site.Root); }
                break;
            case Concat c: foreach (var b in c.Branches) CheckRanks(b, input, file); break;
            case Named n: CheckRanks(n.Layer, input, file); break;
            case Residual r:
                CheckRanks(r.Block, input, file);
                if (r.Shortcut is not null) CheckRanks(r.Shortcut, input, file);
                if (r.After is not null) CheckRanks(r.After, r.Block.Infer(input, Site.Root), file);
                break;
            default:
                if (ranks.TryGetValue(root, out var rank) && rank != input.Rank)
                    throw new OnnxFormatException($"{file}: a per-channel constant of rank {rank} meets a value of shape {input}, where it would not broadcast over the channels.");
                // A reshape read as a flatten of dims names the dims after the merged one; they must be the input's.
                if (trailing.TryGetValue(root, out var after) && !input.Dims.Skip(input.Rank - after.Length).Select(d => (long)d).SequenceEqual(after))
                    throw new OnnxFormatException($"{file}: a Reshape to [0…, -1, {string.Join(", ", after)}] meets a value of shape {input}, whose last dims differ, which no flatten of dims expresses.");
                break;
        }
    }

    /// <summary>Every tensor under its path in <paramref name="root"/>, found by walking it as the exporter does.</summary>
    public Dictionary<string, Tensor> Tensors(Layer root)
    {
        var result = new Dictionary<string, Tensor>();
        void Walk(Layer l, string path)
        {
            switch (l)
            {
                case Chain c: for (var i = 0; i < c.Layers.Length; i++) Walk(c.Layers[i], Site.Join(path, Segment(c.Layers[i], i))); break;
                case Concat c: for (var i = 0; i < c.Branches.Length; i++) Walk(c.Branches[i], Site.Join(path, Segment(c.Branches[i], i))); break;
                case Named n: Walk(n.Layer, path); break;
                case Residual r:
                    Walk(r.Block, path);
                    if (r.Shortcut is not null) Walk(r.Shortcut, Site.Join(path, Residual.ShortcutName));
                    if (r.After is not null) Walk(r.After, Site.Join(path, Residual.AfterName));
                    break;
                default:
                    if (tensors.TryGetValue(l, out var own))
                        foreach (var (name, t) in own) result[Site.Join(path, name)] = t;
                    break;
            }
        }
        Walk(root, "");
        return result;
    }

    /// <summary>
    /// The layer with each explicit shortcut that equals the projection <see cref="Residual"/> builds by itself
    /// dropped, so an exported network imports as an equal value. Paths do not change: the automatic shortcut's
    /// tensors live under <c>downsample</c> too.
    /// </summary>
    public static Layer Simplified(Layer layer, Shape input)
    {
        switch (layer)
        {
            case Chain c:
                var children = new List<Layer>();
                foreach (var child in c.Layers)
                {
                    children.Add(Simplified(child, input));
                    input = child.Infer(input, Site.Root);
                }
                return Chain.Of(children);
            case Concat c: return new Concat(c.Branches.Select(b => Simplified(b, input)));
            case Residual r:
                var block = Simplified(r.Block, input);
                var plain = new Residual(block);
                var shortcut = r.Shortcut is null ? null : Simplified(r.Shortcut, input);
                var automatic = shortcut is not null && plain.ShortcutFor(input, Site.Root) is var a && a is not Functional.Network.Primitives.Identity && Compacted(a).Equals(shortcut);
                return new Residual(block, automatic ? null : shortcut, r.After);
            default: return layer;
        }
    }

    // The automatic projection writes its stride once per dim; the importer writes one value for equal dims.
    private static Layer Compacted(Layer layer) => layer is Chain { Layers: [Functional.Network.Primitives.ConvLayer conv, var norm] }
        ? Chain.Of(conv with { Stride = conv.Stride.Values.Distinct().Count() == 1 ? PerDim.Of(conv.Stride.Values[0]) : conv.Stride }, norm)
        : layer;

    private static string Segment(Layer layer, int i) => layer is Named n ? n.Name : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Turns a parsed graph into a layer. The graph is read backwards from its output: a node with one data input
/// extends a chain; an Add of two data values is a residual sum and a Concat a set of branches, each starting at
/// the nearest value all their inputs descend from. A cycle is found by the walk and is an error.
/// </summary>
internal sealed partial class OnnxGraphReader(OnnxFile file)
{
    private readonly Dictionary<string, OnnxNode> producers = Producers(file);
    private readonly Dictionary<Layer, Dictionary<string, Tensor>> tensors = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Layer, int> ranks = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Layer, long[]> trailing = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> visiting = [];
    private readonly Dictionary<OnnxNode, int> order = file.Nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, (IEqualityComparer<OnnxNode>)ReferenceEqualityComparer.Instance);

    public ImportedLayer Build() => new(Path(file.Input, file.Output), tensors, ranks, trailing);

    /// <summary>The layer computing value <paramref name="to"/> from value <paramref name="from"/>.</summary>
    private Layer Path(string from, string to)
    {
        var layers = new List<Layer>();
        while (to != from)
        {
            if (!visiting.Add(to)) throw new OnnxFormatException($"{file.Path}: the graph reaches value '{to}' twice: it has a cycle, or branches that share values other than where they start, which no chain of layers expresses.");
            var node = producers.GetValueOrDefault(to)
                ?? throw new OnnxFormatException($"{file.Path}: value '{to}' is neither produced by a node nor the input '{from}' (a missing initializer?).");
            var data = DataInputs(node);
            if (data.Count == 0) throw new OnnxFormatException($"{file.Path}: {Describe(node)} reads no data, only constants.");
            // Several nodes that together are one layer (GELU's Erf formula, x·σ(x), GroupNorm) end here.
            if (Fused(node, data) is { } fused)
            {
                layers.Add(fused.Layer);
                to = fused.Input;
                continue;
            }
            if (data.Count == 1)
            {
                var (layer, input) = Convert(node, data[0]);
                // A node that became several layers (a Pad in front of a conv) joins this chain, last layer first.
                if (layer is Chain several) layers.AddRange(several.Layers.Reverse());
                else if (layer is not null) layers.Add(layer);
                to = input;
                continue;
            }
            var start = Join(data, node);
            Layer joined = node.OpType switch
            {
                "Add" when data.Count == 2 => data[0] == start
                    ? new Residual(Path(start, data[1]))
                    : new Residual(Path(start, data[0]), data[1] == start ? null : Path(start, data[1])),
                "Concat" when Attribute(node, "axis", 1L) == 1 => new Concat(data.Select(d => Path(start, d))),
                _ => throw Unsupported(node, "combines several data values"),
            };
            layers.Add(joined);
            to = start;
        }
        layers.Reverse();
        return Chain.Of(layers);
    }

    // The nearest common ancestor: the latest value (in node order) that every input descends from.
    private string Join(IReadOnlyList<string> values, OnnxNode node)
    {
        var common = values.Select(Ancestors).Aggregate((a, b) => { a.IntersectWith(b); return a; });
        if (common.Count == 0) throw new OnnxFormatException($"{file.Path}: the inputs of {Describe(node)} share no ancestor.");
        return common.MaxBy(v => producers.TryGetValue(v, out var p) ? order[p] : -1)!;
    }

    private HashSet<string> Ancestors(string value)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>([value]);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            if (!seen.Add(v) || !producers.TryGetValue(v, out var node)) continue;
            if (seen.Count > 1_000_000) throw new OnnxFormatException($"{file.Path}: the graph is too large to import.");
            foreach (var i in DataInputs(node)) stack.Push(i);
        }
        return seen;
    }

    private List<string> DataInputs(OnnxNode node)
    {
        var data = node.Inputs.Where(i => i.Length > 0 && !IsConstant(i)).ToList();
        foreach (var v in data)
            if (v != file.Input && !producers.ContainsKey(v))
                throw new OnnxFormatException($"{file.Path}: {Describe(node)} reads '{v}', which no initializer, node or graph input defines (a missing initializer?).");
        return data;
    }

    private static Dictionary<string, OnnxNode> Producers(OnnxFile file)
    {
        var result = new Dictionary<string, OnnxNode>();
        foreach (var node in file.Nodes)
            foreach (var o in node.Outputs.Where(o => o.Length > 0))
                if (!result.TryAdd(o, node)) throw new OnnxFormatException($"{file.Path}: value '{o}' is produced by two nodes.");
        return result;
    }

    private string Describe(OnnxNode node) => $"node '{node.Name}' ({node.OpType}, opset {file.Opset})";

    private OnnxFormatException Unsupported(OnnxNode node, string why) => new(
        $"{file.Path}: {Describe(node)} {why}; import supports {string.Join(", ", Onnx.SupportedOperators)}.");
}
