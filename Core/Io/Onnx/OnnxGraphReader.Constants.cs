namespace Functional.Io.Onnx;

/// <summary>
/// Values computed from constants alone, folded at import: PyTorch writes a pad list or a reshape target as a
/// small subgraph (<c>ConstantOfShape</c>, <c>Concat</c>, <c>Slice</c>, <c>Transpose</c>, <c>Cast</c>, …) and
/// <c>x.view(x.size(0), -1)</c> as <c>Shape → Gather → Unsqueeze → Concat</c>. The batch size, the only dim such a
/// subgraph may read from data, folds to the marker <see cref="Batch"/>.
/// </summary>
internal sealed partial class OnnxGraphReader
{
    /// <summary>The batch size in a folded int64 value (any other dim of a data value cannot be folded).</summary>
    public const long Batch = long.MinValue;

    private static readonly HashSet<string> Folded =
        ["Shape", "ConstantOfShape", "Concat", "Unsqueeze", "Squeeze", "Reshape", "Slice", "Transpose", "Cast", "Gather", "Identity"];

    private readonly Dictionary<string, bool> constant = [];
    private readonly Dictionary<string, OnnxInitializer> folded = [];

    /// <summary>Whether <paramref name="value"/> depends on no data, except through a <c>Shape</c> node.</summary>
    private bool IsConstant(string value)
    {
        if (file.Initializers.ContainsKey(value)) return true;
        if (constant.TryGetValue(value, out var known)) return known;
        if (!producers.TryGetValue(value, out var node) || !Folded.Contains(node.OpType)) return constant[value] = false;
        constant[value] = false;   // a cycle through this value reads as data, and the walk reports it
        return constant[value] = node.OpType == "Shape" || node.Inputs.Where(i => i.Length > 0).All(IsConstant);
    }

    /// <summary>The folded value of constant <paramref name="value"/>, read by <paramref name="reader"/>.</summary>
    private OnnxInitializer Fold(string value, OnnxNode reader)
    {
        if (file.Initializers.TryGetValue(value, out var init)) return init;
        if (folded.TryGetValue(value, out var done)) return done;
        if (!producers.TryGetValue(value, out var node) || !IsConstant(value))
            throw new OnnxFormatException($"{file.Path}: {Describe(reader)} needs a constant for '{value}', but it depends on the data.");
        var result = FoldNode(node) with { Name = value };
        if (result.Floats is null == result.Int64s is null || Count(result.Dims) != (result.Floats?.Length ?? result.Int64s!.Length))
            throw new OnnxFormatException($"{file.Path}: {Describe(node)} folds to a tensor whose shape does not match its values.");
        return folded[value] = result;
    }

    private OnnxInitializer FoldNode(OnnxNode node)
    {
        OnnxInitializer In(int i) => i < node.Inputs.Count && node.Inputs[i].Length > 0 ? Fold(node.Inputs[i], node)
            : throw new OnnxFormatException($"{file.Path}: {Describe(node)} lacks input {i}.");
        long[] Ints(int i) => In(i).Int64s ?? throw new OnnxFormatException($"{file.Path}: {Describe(node)}: input {i} is not int64.");
        bool Has(int i) => i < node.Inputs.Count && node.Inputs[i].Length > 0;
        switch (node.OpType)
        {
            case "Shape":
                throw Unsupported(node, "gives the shape of a data value, of which import folds only the batch size (Gather of index 0)");
            case "Gather" when producers.TryGetValue(node.Inputs[0], out var shape) && shape.OpType == "Shape":
                var index = Ints(1);
                if (index is not [0] || Attribute(node, "axis", 0L) != 0) throw Unsupported(node, "reads a dim other than the batch size from a Shape");
                return new OnnxInitializer("", In(1).Dims, null, [Batch]);
            case "Gather":
                return Gather(node, In(0), Ints(1), In(1).Dims);
            case "ConstantOfShape":
                var dims = Ints(0);
                var fill = Attribute<OnnxInitializer?>(node, "value", null) ?? new OnnxInitializer("", [1], [0f], null);
                var count = checked((int)Count(dims));
                if (dims.Any(d => d < 0) || count > 1 << 20) throw Unsupported(node, $"fills a shape [{string.Join(", ", dims)}] that is negative or too large to fold");
                return fill.Floats is { Length: 1 } f ? new("", dims, Enumerable.Repeat(f[0], count).ToArray(), null)
                    : fill.Int64s is { Length: 1 } l ? new("", dims, null, Enumerable.Repeat(l[0], count).ToArray())
                    : throw Unsupported(node, "has a fill value that is not one number");
            case "Concat":
                var parts = node.Inputs.Where(i => i.Length > 0).Select(i => Fold(i, node)).ToList();
                if (parts.Any(p => p.Dims.Count != 1 || p.Int64s is null) || Attribute(node, "axis", 0L) is not (0 or -1))
                    throw Unsupported(node, "concatenates constants that are not 1-d int64 lists");
                var joined = parts.SelectMany(p => p.Int64s!).ToArray();
                return new("", [joined.Length], null, joined);
            case "Unsqueeze" or "Squeeze" or "Identity" or "Reshape":
                var source = In(0);
                var target = node.OpType switch
                {
                    "Identity" => source.Dims,
                    "Reshape" => Reshaped(node, source.Dims, Ints(1)),
                    "Unsqueeze" => Unsqueezed(node, source.Dims, Has(1) ? Ints(1) : Attribute(node, "axes", Array.Empty<long>())),
                    _ => source.Dims.Where(d => d != 1).ToArray(),
                };
                return source with { Dims = target };
            case "Cast":
                var from = In(0);
                return Attribute(node, "to", 0L) switch
                {
                    7 => from.Int64s is not null ? from : new("", from.Dims, null, from.Floats!.Select(v => float.IsFinite(v) ? (long)v : throw Unsupported(node, "casts a non-finite float")).ToArray()),
                    1 => from.Floats is not null ? from : new("", from.Dims, from.Int64s!.Select(v => v == Batch ? throw Unsupported(node, "casts the batch size to float") : (float)v).ToArray(), null),
                    var to => throw Unsupported(node, $"casts to data type {to}; import folds int64 (7) and float32 (1)"),
                };
            case "Transpose":
                return Transposed(node, In(0));
            case "Slice":
                return Sliced(node, In(0), Ints(1), Ints(2), Has(3) ? Ints(3) : null, Has(4) ? Ints(4) : null);
            default:
                throw Unsupported(node, "cannot be folded to a constant");
        }
    }

    private OnnxInitializer Gather(OnnxNode node, OnnxInitializer data, long[] indices, IReadOnlyList<long> indexDims)
    {
        if (data.Dims.Count != 1 || Attribute(node, "axis", 0L) != 0) throw Unsupported(node, "gathers from a constant that is not a 1-d list");
        var n = data.Dims[0];
        var picked = indices.Select(i => i < -n || i >= n ? throw Unsupported(node, $"gathers index {i} from a list of {n}") : (int)(i < 0 ? i + n : i)).ToArray();
        return data.Floats is { } f ? new("", indexDims, picked.Select(i => f[i]).ToArray(), null) : new("", indexDims, null, picked.Select(i => data.Int64s![i]).ToArray());
    }

    private long[] Reshaped(OnnxNode node, IReadOnlyList<long> dims, long[] target)
    {
        var count = Count(dims);
        var result = target.Select((t, i) => t == 0 && i < dims.Count ? dims[i] : t).ToArray();
        var known = result.Where(t => t != -1).Aggregate(1L, (a, t) => t < 0 ? throw Unsupported(node, $"reshapes a constant to [{string.Join(", ", target)}]") : checked(a * t));
        var free = Array.IndexOf(result, -1L);
        if (free >= 0 && result.Count(t => t == -1) == 1 && known > 0 && count % known == 0) result[free] = count / known;
        if (Count(result) != count) throw Unsupported(node, $"reshapes a constant of {count} values to [{string.Join(", ", target)}]");
        return result;
    }

    private long[] Unsqueezed(OnnxNode node, IReadOnlyList<long> dims, long[] axes)
    {
        var rank = dims.Count + axes.Length;
        var normal = axes.Select(a => a < -rank || a >= rank ? throw Unsupported(node, $"unsqueezes axis {a} of a rank-{rank} result") : a < 0 ? a + rank : a).ToHashSet();
        var result = new List<long>();
        var next = 0;
        for (var d = 0; d < rank; d++) result.Add(normal.Contains(d) ? 1 : next < dims.Count ? dims[next++] : throw Unsupported(node, "repeats an axis"));
        return [.. result];
    }

    private OnnxInitializer Transposed(OnnxNode node, OnnxInitializer x)
    {
        var rank = x.Dims.Count;
        var perm = Attribute(node, "perm", Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray());
        if (perm.Length != rank || perm.Order().Select((p, i) => p != i).Any(b => b)) throw Unsupported(node, $"has perm [{string.Join(", ", perm)}] for a rank-{rank} constant");
        var dims = perm.Select(p => x.Dims[(int)p]).ToArray();
        var map = Map(dims, (index, source) => { for (var d = 0; d < rank; d++) source[(int)perm[d]] = index[d]; }, x.Dims);
        return Take(x, dims, map);
    }

    private OnnxInitializer Sliced(OnnxNode node, OnnxInitializer x, long[] starts, long[] ends, long[]? axes, long[]? steps)
    {
        var rank = x.Dims.Count;
        axes ??= Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        steps ??= Enumerable.Repeat(1L, starts.Length).ToArray();
        if (ends.Length != starts.Length || axes.Length != starts.Length || steps.Length != starts.Length || steps.Any(s => s == 0))
            throw Unsupported(node, "has starts, ends, axes and steps of different lengths, or a zero step");
        var (first, step, dims) = (new long[rank], Enumerable.Repeat(1L, rank).ToArray(), x.Dims.ToArray());
        for (var i = 0; i < starts.Length; i++)
        {
            var a = (int)(axes[i] < 0 ? axes[i] + rank : axes[i]);
            if (a < 0 || a >= rank) throw Unsupported(node, $"slices axis {axes[i]} of a rank-{rank} constant");
            var n = x.Dims[a];
            long Clamp(long v, long lo, long hi) => Math.Clamp(v < 0 ? v + n : v, lo, hi);
            var s = steps[i];
            var (b, e) = s > 0 ? (Clamp(starts[i], 0, n), Clamp(ends[i], 0, n)) : (Clamp(starts[i], -1, n - 1), Clamp(ends[i], -1, n - 1));
            (first[a], step[a], dims[a]) = (b, s, Math.Max(0, s > 0 ? (e - b + s - 1) / s : (b - e - s - 1) / -s));
        }
        var map = Map(dims, (index, source) => { for (var d = 0; d < rank; d++) source[d] = first[d] + index[d] * step[d]; }, x.Dims);
        return Take(x, dims, map);
    }

    // For each element of a result of shape dims (row-major), the flat index of the source element it copies.
    private static int[] Map(long[] dims, Action<long[], long[]> locate, IReadOnlyList<long> sourceDims)
    {
        var count = (int)Count(dims);
        var (index, source, map) = (new long[dims.Length], new long[sourceDims.Count], new int[count]);
        for (var flat = 0; flat < count; flat++)
        {
            for (long r = flat, d = dims.Length - 1; d >= 0; d--) { index[d] = r % dims[d]; r /= dims[d]; }
            locate(index, source);
            long offset = 0;
            for (var d = 0; d < source.Length; d++) offset = offset * sourceDims[d] + source[d];
            map[flat] = (int)offset;
        }
        return map;
    }

    private static OnnxInitializer Take(OnnxInitializer x, long[] dims, int[] map) => x.Floats is { } f
        ? new("", dims, map.Select(i => f[i]).ToArray(), null)
        : new("", dims, null, map.Select(i => x.Int64s![i]).ToArray());

    private static long Count(IEnumerable<long> dims) => dims.Aggregate(1L, (a, d) => d < 0 ? -1 : checked(a * d));
}
