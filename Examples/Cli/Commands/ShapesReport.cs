namespace Functional.Cli.Commands;

/// <summary>Checks one layer's hyper-parameters with <see cref="ShapeRules"/> and prints its shapes and formulas.</summary>
internal static class ShapesReport
{
    public static void Conv(TextWriter w, Shape input, int filters, int[] k, int[] s, int[] d, Padding padding, int groups, bool bias)
    {
        var spatial = input.Rank - 1;
        var where = $"Conv{spatial}d";
        ShapeRules.CheckChannels(where, input[0], filters, groups);
        var output = new int[spatial];
        var formulas = new List<string>();
        var warnings = new List<string>();
        for (var dim = 0; dim < spatial; dim++)
        {
            var name = Name(spatial, dim);
            var i = input[dim + 1];
            ShapeRules.CheckWindow(where, name, k[dim], s[dim], d[dim]);
            var (before, after) = ShapeRules.Resolve(padding, dim, spatial, i, k[dim], s[dim], d[dim], where);
            ShapeRules.CheckConvDim(where, name, i, k[dim], s[dim], before, after, d[dim]);
            output[dim] = ShapeRules.ConvOutputSize(i, k[dim], s[dim], before, after, d[dim]);
            formulas.Add($"  {name}: {ShapeRules.ConvFormula(i, k[dim], s[dim], before, after, d[dim])}");
            Unread(warnings, dim, spatial, i, k[dim], s[dim], before, d[dim], output[dim]);
        }
        var weights = ShapeRules.ConvParameterCount(filters, input[0], groups, k, bias: false);
        Print(w, where, input, filters, output, formulas, warnings,
            $"{weights + (bias ? filters : 0)} = {filters}·({input[0]}/{groups}·{string.Join("·", k)}){BiasTerm(filters, bias)}");
    }

    public static void Pool(TextWriter w, Shape input, int[] k, int[] s, int[] d, int[] padding, bool ceilMode)
    {
        var spatial = input.Rank - 1;
        var where = $"Pool{spatial}d";
        var output = new int[spatial];
        var formulas = new List<string>();
        var warnings = new List<string>();
        for (var dim = 0; dim < spatial; dim++)
        {
            var name = Name(spatial, dim);
            var i = input[dim + 1];
            ShapeRules.CheckPoolDim(where, name, i, k[dim], s[dim], padding[dim], d[dim], ceilMode);
            output[dim] = ShapeRules.PoolOutputSize(i, k[dim], s[dim], padding[dim], d[dim], ceilMode);
            formulas.Add($"  {name}: {ShapeRules.PoolFormula(i, k[dim], s[dim], padding[dim], d[dim], ceilMode)}");
            Unread(warnings, dim, spatial, i, k[dim], s[dim], padding[dim], d[dim], output[dim]);
        }
        Print(w, where + (ceilMode ? " (ceil mode)" : ""), input, input[0], output, formulas, warnings, "0 (pooling has none)");
    }

    public static void Transposed(TextWriter w, Shape input, int filters, int[] k, int[] s, int[] d, int[] padding, int[] outputPadding, int groups, bool bias)
    {
        var spatial = input.Rank - 1;
        var where = $"ConvTranspose{spatial}d";
        ShapeRules.CheckChannels(where, input[0], filters, groups);
        var output = new int[spatial];
        var formulas = new List<string>();
        for (var dim = 0; dim < spatial; dim++)
        {
            var name = Name(spatial, dim);
            var i = input[dim + 1];
            ShapeRules.CheckTransposedDim(where, name, i, k[dim], s[dim], padding[dim], d[dim], outputPadding[dim]);
            output[dim] = ShapeRules.TransposedOutputSize(i, k[dim], s[dim], padding[dim], d[dim], outputPadding[dim]);
            formulas.Add($"  {name}: {ShapeRules.TransposedFormula(i, k[dim], s[dim], padding[dim], d[dim], outputPadding[dim])}");
        }
        // The weight is C_in × C_out/groups × k…: the conv it transposes maps C_out channels back to C_in.
        var weights = ShapeRules.ConvParameterCount(input[0], filters, groups, k, bias: false);
        Print(w, where, input, filters, output, formulas, [],
            $"{weights + (bias ? filters : 0)} = {input[0]}·({filters}/{groups}·{string.Join("·", k)}){BiasTerm(filters, bias)}");
    }

    private static void Print(TextWriter w, string layer, Shape input, int channels, int[] spatial, List<string> formulas, List<string> warnings, string parameters)
    {
        w.WriteLine($"{layer}: {input} → {Shape.Of([channels, .. spatial])}");
        w.WriteLine($"parameters: {parameters}");
        foreach (var line in formulas) w.WriteLine(line);
        foreach (var line in warnings) w.WriteLine(line);
    }

    // The notes' "invalid stride": the floor in the formula silently drops trailing input that no window reads.
    private static void Unread(List<string> warnings, int dim, int spatial, int input, int kernel, int stride, int padBefore, int dilation, int output)
    {
        var n = ShapeRules.UnreadTrailing(input, kernel, stride, padBefore, dilation, output);
        if (n == 0) return;
        var unit = Unit(spatial, dim);
        var which = n == 1 ? $"the last input {unit} ({input - 1} of 0–{input - 1})" : $"the last {n} input {unit}s ({input - n}–{input - 1} of 0–{input - 1})";
        warnings.Add($"warning: {Name(spatial, dim)}: stride {stride} leaves {which} unread: no window reaches them, and the output formula drops them silently.");
    }

    private static string BiasTerm(int filters, bool bias) => bias ? $" + {filters} bias" : ", no bias";

    private static string Name(int spatial, int dim) => WindowOptions.DimNames(spatial)[dim];

    private static string Unit(int spatial, int dim) => Name(spatial, dim) switch { "H" => "row", "W" => "column", "D" => "slice", _ => "position" };
}
