using System.CommandLine;
using Functional.Cli.Options;
using System.Globalization;

namespace Functional.Cli.Commands;

/// <summary>The options every sliding-window subcommand of <c>shapes</c> shares, and their parsing.</summary>
internal sealed class WindowOptions
{
    private const string PerDim = "An int for every spatial dim, or one per dim like 1,2.";
    private readonly bool strideDefaultsToKernel;

    public WindowOptions(bool filters, string padding, bool strideDefaultsToKernel = false)
    {
        this.strideDefaultsToKernel = strideDefaultsToKernel;
        PaddingOption = new Option<string>("--padding") { Description = padding, DefaultValueFactory = _ => "0" };
        StrideOption = new Option<string?>("--stride") { Description = $"Step between windows (default: {(strideDefaultsToKernel ? "the kernel" : "1")}). {PerDim}" };
        if (filters) FiltersOption = new Option<int>("--filters") { Description = "Output channels (number of filters).", Required = true }.Invariant();
    }

    public Option<string> InputOption { get; } = new("--input") { Description = "Input shape without batch: C×L, C×H×W or C×D×H×W, e.g. 3x32x32.", Required = true };
    public Option<string> KernelOption { get; } = new("--kernel") { Description = "Kernel size. " + PerDim, Required = true };
    public Option<string?> StrideOption { get; }
    public Option<string> DilationOption { get; } = new("--dilation") { Description = "Spacing between kernel taps (1 = dense). " + PerDim, DefaultValueFactory = _ => "1" };
    public Option<string> PaddingOption { get; }
    public Option<int>? FiltersOption { get; }

    /// <summary>A subcommand holding these options.</summary>
    public Command Command(string name, string description)
    {
        var command = new Command(name, description) { InputOption };
        if (FiltersOption is not null) command.Add(FiltersOption);
        command.Add(KernelOption);
        command.Add(StrideOption);
        command.Add(PaddingOption);
        command.Add(DilationOption);
        return command;
    }

    /// <summary>The input shape and its number of spatial dims (rank − 1).</summary>
    public (Shape Input, int Spatial) Input(ParseResult r)
    {
        var input = Shape.Parse(r.GetValue(InputOption)!);
        if (input.Rank is < 2 or > 4)
            throw new UsageException($"--input {input} has rank {input.Rank}; give C×L, C×H×W or C×D×H×W (no batch dimension).");
        return (input, input.Rank - 1);
    }

    public int Filters(ParseResult r) => r.GetValue(FiltersOption!);

    public int[] Kernel(ParseResult r, int spatial) => PerDimValues("--kernel", r.GetValue(KernelOption)!, spatial);

    public int[] Stride(ParseResult r, int spatial, int[] kernel) =>
        r.GetValue(StrideOption) is { } text ? PerDimValues("--stride", text, spatial)
        : strideDefaultsToKernel ? kernel : Filled(spatial, 1);

    public int[] Dilation(ParseResult r, int spatial) => PerDimValues("--dilation", r.GetValue(DilationOption)!, spatial);

    /// <summary><c>same</c>, <c>valid</c>, <c>full</c>, one int for every dim, or one int per dim.</summary>
    public Padding Padding(ParseResult r)
    {
        var text = r.GetValue(PaddingOption)!;
        return text.Trim().ToLowerInvariant() switch
        {
            "same" => Functional.Padding.Same,
            "valid" => Functional.Padding.Valid,
            "full" => Functional.Padding.Full,
            _ => Functional.Padding.Of(Ints("--padding", text)),
        };
    }

    /// <summary>Explicit amounts per dim; <c>valid</c> is 0; <c>same</c>/<c>full</c> exist only for convolutions.</summary>
    public int[] ExplicitPadding(ParseResult r, int spatial, string layer)
    {
        var padding = Padding(r);
        return padding.Kind switch
        {
            PaddingKind.Valid => Filled(spatial, 0),
            PaddingKind.Explicit => PerDimValues("--padding", r.GetValue(PaddingOption)!, spatial),
            _ => throw new UsageException($"--padding {padding}: {layer} takes explicit padding (ints) or valid; same and full apply to conv."),
        };
    }

    /// <summary>Parses <c>5</c> (every dim) or <c>5,3</c> (one per dim).</summary>
    public static int[] PerDimValues(string option, string text, int spatial)
    {
        var values = Ints(option, text);
        if (values.Length == 1) return Filled(spatial, values[0]);
        if (values.Length != spatial)
            throw new UsageException($"{option} '{text}' has {values.Length} values but the input has {spatial} spatial dims ({string.Join(", ", DimNames(spatial))}).");
        return values;
    }

    /// <summary>Dimension names by number of spatial dims: L; H, W; D, H, W.</summary>
    public static string[] DimNames(int spatial) => spatial switch { 1 => ["L"], 2 => ["H", "W"], _ => ["D", "H", "W"] };

    private static int[] Ints(string option, string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]))
                throw new UsageException($"{option} '{text}': '{parts[i]}' is not an integer; give one int, or one per spatial dim like 1,2" +
                    (option == "--padding" ? ", or same, valid or full." : "."));
        return values;
    }

    private static int[] Filled(int n, int value) => Enumerable.Repeat(value, n).ToArray();
}
