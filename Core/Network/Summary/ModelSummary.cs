using System.Globalization;
using System.Text;

namespace Functional.Network.Summary;

/// <summary>
/// A torchinfo-style description of a network for one input shape, computed from shapes alone (no tensor is
/// allocated, so it works for VGG-19 as fast as for LeNet): one row per primitive layer with its path, type,
/// output shape, parameters, mult-adds and receptive field (size, jump, start along each spatial dim), then
/// totals, memory estimates and warnings about strides that leave input rows or columns unread.
/// </summary>
public sealed class ModelSummary
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private ModelSummary(Shape input, Shape output, IReadOnlyList<TraceRow> rows)
    {
        Input = input;
        Output = output;
        Rows = rows;
    }

    /// <summary>Traces <paramref name="layer"/> for a per-sample <paramref name="input"/>.</summary>
    /// <exception cref="ShapeException">Some layer does not fit; the message names it.</exception>
    public static ModelSummary Of(Layer layer, Shape input) =>
        new(input, layer.OutputShape(input), layer.Trace(input));

    /// <summary>The per-sample input shape.</summary>
    public Shape Input { get; }

    /// <summary>The per-sample output shape.</summary>
    public Shape Output { get; }

    /// <summary>The rows, in forward order.</summary>
    public IReadOnlyList<TraceRow> Rows { get; }

    /// <summary>Total trainable parameters.</summary>
    public long Parameters => Rows.Sum(r => r.Parameters);

    /// <summary>Total multiply-accumulates of one sample's forward pass.</summary>
    public long MultAdds => Rows.Sum(r => r.MultAdds);

    /// <summary>Bytes of the parameters in float32.</summary>
    public long ParameterBytes => Parameters * sizeof(float);

    /// <summary>Bytes of every layer's output for one sample in float32 (what a training step keeps for the backward).</summary>
    public long ActivationBytes => Rows.Sum(r => (long)r.Output.Count) * sizeof(float);

    /// <summary>The receptive field after the last layer, per spatial dim (empty for inputs without spatial dims).</summary>
    public IReadOnlyList<ReceptiveField> FinalField => Rows.Count == 0 ? [] : Rows[^1].Field;

    /// <summary>The warnings, one per layer that has one, prefixed by its path.</summary>
    public IEnumerable<string> Warnings => Rows.Where(r => r.Warning is not null).Select(r => $"{new Site(r.Path, r.Index).Describe(r.Layer)}: {r.Warning}");

    /// <summary>The table, totals and warnings as text.</summary>
    public override string ToString()
    {
        var spatial = Math.Max(Input.Rank - 1, 0);
        var fieldHeads = spatial switch { 0 => [], 1 => ["RF L (size/jump/start)"], 2 => ["RF H (size/jump/start)", "RF W"], _ => new[] { "RF D", "RF H", "RF W" } };
        var head = new List<string> { "Layer", "Type", "Output shape", "Params", "Mult-adds" };
        head.AddRange(fieldHeads);
        var body = Rows.Select(r =>
        {
            var cells = new List<string> { new string(' ', 2 * r.Depth) + (r.Path.Length == 0 ? "(root)" : r.Path), r.Layer, r.Output.ToString(), N(r.Parameters), N(r.MultAdds) };
            cells.AddRange(Enumerable.Range(0, fieldHeads.Length).Select(d => r.Global ? "whole input" : d < r.Field.Length ? Field(r.Field[d]) : "—"));
            return cells;
        }).ToList();
        var numeric = new HashSet<int> { 3, 4 };
        var widths = head.Select((h, c) => Math.Max(h.Length, body.Count == 0 ? 0 : body.Max(r => r[c].Length))).ToArray();
        var sb = new StringBuilder();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((t, c) => numeric.Contains(c) ? t.PadLeft(widths[c]) : t.PadRight(widths[c]))).TrimEnd();
        var rule = new string('─', Line(head).Length);
        sb.AppendLine(rule).AppendLine(Line(head)).AppendLine(rule);
        foreach (var r in body) sb.AppendLine(Line(r));
        sb.AppendLine(rule);
        sb.AppendLine($"Input: {Input}    Output: {Output}");
        sb.AppendLine($"Total params: {N(Parameters)}");
        sb.AppendLine($"Total mult-adds (per sample): {N(MultAdds)}");
        sb.AppendLine($"Params size (MB): {Mb(ParameterBytes)}");
        sb.AppendLine($"Activations per sample (MB): {Mb(ActivationBytes)}");
        sb.AppendLine($"Input size per sample (MB): {Mb((long)Input.Count * sizeof(float))}");
        foreach (var w in Warnings) sb.AppendLine($"Warning: {w}");
        sb.Append(rule);
        return sb.ToString();
    }

    private static string N(long v) => v.ToString("N0", Invariant);

    private static string Mb(long bytes) => (bytes / 1e6).ToString("0.00", Invariant);

    private static string Field(ReceptiveField f) => $"{f.Size}/{f.Jump}/{f.Start.ToString("0.##", Invariant)}";
}
