using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Functional.Io;
using Functional.Pictures;

namespace Functional.Research;

/// <summary>
/// The rows of a finished sweep and their three renderings: an aligned text table, a CSV (written atomically) and
/// a scatter plot with one labelled point per variant.
/// </summary>
/// <param name="Input">The per-sample input shape of the sweep.</param>
/// <param name="ProbeNames">The probe columns, in order.</param>
/// <param name="Rows">One row per variant, in sweep order.</param>
public sealed record SweepReport(Shape Input, IReadOnlyList<string> ProbeNames, IReadOnlyList<VariantResult> Rows)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>True when every row has a training outcome.</summary>
    public bool Trained => Rows.Count > 0 && Rows.All(r => r.Training is not null);

    /// <summary>The row of the variant called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No row has that name; the message lists them.</exception>
    public VariantResult this[string name] => Rows.FirstOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"SweepReport: no variant is called '{name}'; the variants are {string.Join(", ", Rows.Select(r => r.Name))}.");

    /// <summary>The aligned table: text columns left-aligned, numbers right-aligned, a rule above and below.</summary>
    public string Table()
    {
        var head = new List<string> { "Variant", "Params", "Mult-adds", "RF", "Act. KB/sample" };
        head.AddRange(ProbeNames);
        if (Trained) head.AddRange(["Test acc", "Train s", "Images/s"]);
        var body = Rows.Select(r =>
        {
            var cells = new List<string> { r.Name, r.Parameters.ToString("N0", Invariant), r.MultAdds.ToString("N0", Invariant), r.FieldText,
                (r.ActivationBytes / 1024.0).ToString("N1", Invariant) };
            cells.AddRange(r.ProbeValues.Select(v => v.ToString("G4", Invariant)));
            if (r.Training is { } t)
                cells.AddRange([t.TestAccuracy.ToString("F4", Invariant), t.Seconds.ToString("F1", Invariant), t.ImagesPerSecond.ToString("F0", Invariant)]);
            return cells;
        }).ToList();
        var widths = head.Select((h, c) => Math.Max(h.Length, body.Max(r => r[c].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((t, c) => c == 0 ? t.PadRight(widths[c]) : t.PadLeft(widths[c]))).TrimEnd();
        var rule = new string('─', Line(head).Length);
        var sb = new StringBuilder();
        sb.AppendLine(rule).AppendLine(Line(head)).AppendLine(rule);
        foreach (var r in body) sb.AppendLine(Line(r));
        sb.AppendLine(rule);
        sb.Append($"Input {Input} per sample; RF is the receptive field of the last spatial layer");
        if (Rows.Any(r => r.GlobalField)) sb.Append(" (the classifier after it sees the whole input)");
        sb.Append('.');
        return sb.ToString();
    }

    /// <summary>
    /// The CSV: a header, then one line per variant with plain invariant numbers (no thousands separators), the
    /// receptive field as <c>5x5</c>, and empty training cells when the sweep did not train.
    /// </summary>
    public string Csv()
    {
        var sb = new StringBuilder();
        var head = new List<string> { "variant", "group", "parameters", "mult_adds", "receptive_field", "activation_bytes" };
        head.AddRange(ProbeNames.Select(Column));
        head.AddRange(["epochs", "test_accuracy", "train_seconds", "images_per_second"]);
        sb.Append(string.Join(',', head)).Append('\n');
        foreach (var r in Rows)
        {
            var cells = new List<string> { Quote(r.Name), Quote(r.Group), N(r.Parameters), N(r.MultAdds), string.Join("x", r.ReceptiveField), N(r.ActivationBytes) };
            cells.AddRange(r.ProbeValues.Select(v => v.ToString("R", Invariant)));
            cells.AddRange(r.Training is { } t
                ? [N(t.Epochs), t.TestAccuracy.ToString("R", Invariant), t.Seconds.ToString("F3", Invariant), t.ImagesPerSecond.ToString("F1", Invariant)]
                : ["", "", "", ""]);
            sb.Append(string.Join(',', cells)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes <see cref="Csv"/> to <paramref name="path"/> atomically (the old file or the whole new one, never half).</summary>
    public void SaveCsv(string path) => AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(Csv()));

    /// <summary>
    /// The scatter plot: test accuracy against parameters when the sweep trained, otherwise mult-adds against
    /// parameters; one point per variant labelled with its name and coloured by its group.
    /// </summary>
    public Picture Plot(string title = "")
    {
        var points = Rows.Select(r => new ScatterPoint(r.Parameters, Trained ? 100 * r.Training!.TestAccuracy : r.MultAdds / 1e6, r.Name, r.Group)).ToList();
        return Trained
            ? ScatterPlot.Render(title, "parameters", "test accuracy (%)", points)
            : ScatterPlot.Render(title, "parameters", "mult-adds per sample (millions)", points);
    }

    /// <summary>Writes <see cref="Plot"/> as a PNG to <paramref name="path"/> atomically.</summary>
    public void SavePlot(string path, string title = "") => AtomicFile.WriteAllBytes(path, Plot(title).ToPng());

    private static string N(long v) => v.ToString(Invariant);

    // "grad norm @ layer 1" → "grad_norm_layer_1": a heading any CSV reader accepts as an identifier.
    private static string Column(string name) => Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]+", "_").Trim('_');

    private static string Quote(string text) => text.IndexOfAny([',', '"', '\n']) < 0 ? text : $"\"{text.Replace("\"", "\"\"")}\"";
}
